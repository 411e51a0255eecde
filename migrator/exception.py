"""Domain errors.

Each carries the HTTP status the API answers with (``code``) and a message
that names the offending value. The classes survive an oslo.messaging round
trip (``allowed_remote_exmods``): they are rebuilt as ``cls(message, **kwargs)``.
"""


class MigratorException(Exception):
    """Base class; ``msg_fmt`` is filled from the keyword arguments."""

    msg_fmt = 'An unknown error occurred.'
    code = 500

    def __init__(self, message: str | None = None, **kwargs):
        self.kwargs = kwargs
        if not message:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError):
                message = self.msg_fmt
        self.message = message
        super().__init__(message)

    def format_message(self) -> str:
        return self.message


def describe(error: BaseException) -> str:
    """An error in words for a fault, an event or a migration record: a
    domain error's own message, anything else its class and text."""
    if isinstance(error, MigratorException):
        return error.format_message()
    return '%s: %s' % (type(error).__name__, error)


class Invalid(MigratorException):
    msg_fmt = 'Invalid request: %(reason)s'
    code = 400


class ValidationError(Invalid):
    msg_fmt = 'Invalid input for field/attribute %(field)s. %(detail)s'


class VersionNotSupported(MigratorException):
    msg_fmt = ('Version %(version)s is not supported by the API. '
               'Minimum is %(min_version)s and maximum is %(max_version)s.')
    code = 406


class InvalidVersionHeader(Invalid):
    msg_fmt = ('Invalid microversion %(value)r: expected "X.Y" or "latest" '
               'in %(headers)s.')


class NotAuthenticated(MigratorException):
    msg_fmt = 'Authentication required: %(reason)s'
    code = 401


class RequestTooLarge(MigratorException):
    msg_fmt = ('Request body of %(size)d bytes is larger than the %(limit)d '
               'bytes allowed ([api] max_request_body_size).')
    code = 413


class Forbidden(MigratorException):
    msg_fmt = 'Policy does not allow %(action)s to be performed.'
    code = 403


class NotFound(MigratorException):
    msg_fmt = 'Resource could not be found.'
    code = 404


class Conflict(MigratorException):
    msg_fmt = 'Conflict: %(reason)s'
    code = 409


class ServiceUnavailable(MigratorException):
    msg_fmt = 'Service unavailable: %(reason)s'
    code = 503


class InstanceNotFound(NotFound):
    msg_fmt = 'Instance %(instance_id)s could not be found.'


class FlavorNotFound(NotFound):
    msg_fmt = 'Flavor %(flavor_id)s could not be found.'


class FlavorExists(Conflict):
    msg_fmt = 'Flavor with %(field)s %(value)s already exists.'


class FlavorAccessExists(Conflict):
    msg_fmt = ('Flavor access already exists for flavor %(flavor_id)s and '
               'project %(project_id)s combination.')


class FlavorPublic(Conflict):
    msg_fmt = 'Can not add access to a public flavor.'


class FlavorAccessNotFound(NotFound):
    msg_fmt = ('Flavor access not found for %(flavor_id)s / %(project_id)s '
               'combination.')


class FlavorExtraSpecNotFound(NotFound):
    msg_fmt = 'Flavor %(flavor_id)s has no extra spec with key %(key)s.'


class ComputeHostNotFound(NotFound):
    msg_fmt = 'Compute host %(host)s could not be found.'


class HypervisorNotFound(NotFound):
    msg_fmt = 'Hypervisor with ID %(hypervisor_id)s could not be found.'


class ServiceNotFound(NotFound):
    msg_fmt = 'Service %(service_id)s could not be found.'


class AggregateNotFound(NotFound):
    msg_fmt = 'Aggregate %(aggregate_id)s could not be found.'


class AggregateNameExists(Conflict):
    msg_fmt = 'Aggregate %(name)s already exists.'


class AggregateHostExists(Conflict):
    msg_fmt = 'Aggregate %(aggregate_id)s already has host %(host)s.'


class AggregateHostNotFound(NotFound):
    msg_fmt = 'Aggregate %(aggregate_id)s has no host %(host)s.'


class AggregateAZConflict(Conflict):
    msg_fmt = ('Host %(host)s is already in availability zone %(zone)s '
               'through another aggregate; it cannot be in %(new_zone)s too.')


class ServerGroupNotFound(NotFound):
    msg_fmt = 'Server group %(group_id)s could not be found.'


class MigrationNotFound(NotFound):
    msg_fmt = 'Migration %(migration_id)s could not be found.'


class DrainNotFound(NotFound):
    msg_fmt = 'Drain %(drain_id)s could not be found.'


class MigrationNotFoundForInstance(NotFound):
    msg_fmt = 'Migration %(migration_id)s not found for instance %(instance_id)s'


class InvalidMigrationState(Invalid):
    msg_fmt = ('Migration %(migration_id)s state of instance %(instance_uuid)s '
               'is %(state)s. Cannot %(method)s while the migration is in '
               'this state.')


class MigrationNotFoundByStatus(NotFound):
    msg_fmt = ('Instance %(instance_id)s has no migration in status '
               '%(status)s.')


class InstanceActionNotFound(NotFound):
    msg_fmt = ('Action for request_id %(request_id)s on instance '
               '%(instance_id)s not found.')


class InstanceInvalidState(Conflict):
    msg_fmt = ("Cannot '%(action)s' instance %(instance_id)s while it is in "
               "%(attr)s %(state)s")


class InstanceIsLocked(Conflict):
    msg_fmt = 'Instance %(instance_id)s is locked'


class ComputeServiceUnavailable(MigratorException):
    msg_fmt = 'Compute service of %(host)s is unavailable at this time.'
    code = 409


class DestinationServiceDown(Invalid):
    msg_fmt = ('Compute service of %(host)s is down (last heartbeat '
               '%(last_seen)s); a server cannot be moved to it.')


class UnableToMigrateToSelf(Invalid):
    msg_fmt = 'Cannot migrate to the host where the server exists.'


class NoValidHost(Invalid):
    msg_fmt = 'No valid host was found. %(reason)s'


class InsufficientResources(Invalid):
    msg_fmt = 'Host %(host)s cannot fit the server: %(reason)s'


class ClaimConflict(Conflict):
    msg_fmt = ('The claim on host %(host)s was lost to a concurrent '
               'request: %(reason)s')


class InstanceStateChanged(Conflict):
    msg_fmt = ('Instance %(instance_id)s changed state while the request ran '
               '(now %(state)s); try again.')


class InjectedFailure(MigratorException):
    msg_fmt = 'Injected failure at %(step)s on host %(host)s ([compute] fail_at).'


class PolicyNotRegistered(MigratorException):
    msg_fmt = 'Policy %(action)s has not been registered.'


class UnknownFilter(MigratorException):
    msg_fmt = ('Unknown scheduler filter %(name)s in [scheduler] '
               'enabled_filters; available: %(available)s.')
