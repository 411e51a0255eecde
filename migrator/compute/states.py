"""vm_state, task_state, power_state, migration status, and the API status."""

# vm_state
ACTIVE = 'active'
BUILDING = 'building'
STOPPED = 'stopped'
RESIZED = 'resized'
ERROR = 'error'

# task_state
SCHEDULING = 'scheduling'
SPAWNING = 'spawning'
POWERING_OFF = 'powering-off'
POWERING_ON = 'powering-on'
REBOOTING = 'rebooting'
REBOOTING_HARD = 'rebooting_hard'
RESIZE_PREP = 'resize_prep'
RESIZE_MIGRATING = 'resize_migrating'
RESIZE_MIGRATED = 'resize_migrated'
RESIZE_FINISH = 'resize_finish'
RESIZE_REVERTING = 'resize_reverting'
RESIZE_CONFIRMING = 'resize_confirming'
DELETING = 'deleting'

# power_state, as Nova numbers them
NOSTATE = 0
RUNNING = 1
SHUTDOWN = 4

# migration status
PRE_MIGRATING = 'pre-migrating'
MIGRATING = 'migrating'
POST_MIGRATING = 'post-migrating'
FINISHED = 'finished'
CONFIRMING = 'confirming'
CONFIRMED = 'confirmed'
REVERTING = 'reverting'
REVERTED = 'reverted'
MIGRATION_ERROR = 'error'
CANCELLED = 'cancelled'  # aborted before the server started on the destination
MIGRATION_STATUSES = (PRE_MIGRATING, MIGRATING, POST_MIGRATING, FINISHED,
                      CONFIRMING, CONFIRMED, REVERTING, REVERTED,
                      MIGRATION_ERROR, CANCELLED)
MIGRATION_TERMINAL = (CONFIRMED, REVERTED, MIGRATION_ERROR, CANCELLED)
MIGRATION_IN_PROGRESS = (PRE_MIGRATING, MIGRATING, POST_MIGRATING,
                         CONFIRMING, REVERTING)
# Every status but the terminal ones: a move waiting for its confirm too,
# and any status added later unless it is made terminal.
MIGRATION_NOT_ENDED = tuple(status for status in MIGRATION_STATUSES
                            if status not in MIGRATION_TERMINAL)

# A move can be aborted until its disk copy is done; after that the server
# starts on the destination and the way back is a revert.
ABORTABLE = (PRE_MIGRATING, MIGRATING)
ABORTABLE_TASKS = (RESIZE_PREP, RESIZE_MIGRATING)

_RESIZING = (RESIZE_PREP, RESIZE_MIGRATING, RESIZE_MIGRATED, RESIZE_FINISH)


def api_status(vm_state: str, task_state: str | None) -> str:
    """The server status Nova's API shows for a vm_state/task_state pair."""
    if vm_state == BUILDING:
        return 'BUILD'
    if vm_state == ERROR:
        return 'ERROR'
    if vm_state == RESIZED:
        return 'REVERT_RESIZE' if task_state == RESIZE_REVERTING else 'VERIFY_RESIZE'
    if task_state in _RESIZING:
        return 'RESIZE'
    if task_state == REBOOTING:
        return 'REBOOT'
    if task_state == REBOOTING_HARD:
        return 'HARD_REBOOT'
    if vm_state == STOPPED:
        return 'SHUTOFF'
    if vm_state == ACTIVE:
        return 'ACTIVE'
    return 'UNKNOWN'
