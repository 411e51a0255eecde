"""The weigher base class and normalisation."""


class BaseWeigher:
    """Subclasses return a raw number; bigger means more preferred."""

    multiplier_option = ''
    # The resource class whose free amount is the raw weight, when it is
    # one; such a weigher can also be computed in SQL.
    resource_class: str | None = None

    def __init__(self, conf):
        self.multiplier = getattr(conf.scheduler, self.multiplier_option)

    def raw(self, host_state, spec) -> float:
        raise NotImplementedError


def normalize(values: list[float]) -> list[float]:
    """Scale to 0..1; all-equal values become 0."""
    if not values:
        return []
    low, high = min(values), max(values)
    if high == low:
        return [0.0] * len(values)
    return [(v - low) / (high - low) for v in values]
