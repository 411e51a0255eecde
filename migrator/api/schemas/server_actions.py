"""Bodies of the simple server actions: {"<action>": null}."""


def null_action(name: str) -> dict:
    return {'type': 'object',
            'properties': {name: {'type': ['null', 'object'],
                                  'additionalProperties': False}},
            'required': [name], 'additionalProperties': False}


os_stop = null_action('os-stop')
os_start = null_action('os-start')
unlock = null_action('unlock')
confirm_resize = null_action('confirmResize')
revert_resize = null_action('revertResize')

# Lock accepts an optional reason from 2.73; earlier it is null or {}.
lock = null_action('lock')

reboot = {
    'type': 'object',
    'properties': {'reboot': {
        'type': 'object',
        'properties': {'type': {'type': 'string', 'enum': ['HARD', 'Hard', 'hard',
                                                           'SOFT', 'Soft', 'soft']}},
        'required': ['type'], 'additionalProperties': False}},
    'required': ['reboot'], 'additionalProperties': False,
}

reset_state = {
    'type': 'object',
    'properties': {'os-resetState': {
        'type': 'object',
        'properties': {'state': {'type': 'string', 'enum': ['active', 'error']}},
        'required': ['state'], 'additionalProperties': False}},
    'required': ['os-resetState'], 'additionalProperties': False,
}
