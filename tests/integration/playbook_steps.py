"""Task builders for the playbooks that integration tests run (Python structures, dumped as JSON by the harness)."""


def task(module, register, check_mode=False, ignore_errors=False, **params):
    """One module task with its result registered; check_mode and ignore_errors set on the task when asked."""
    result = {module: params, 'register': register}
    if check_mode:
        result['check_mode'] = True
    if ignore_errors:
        result['ignore_errors'] = True
    return result


def check(*conditions):
    """An assert task: every condition must hold."""
    return {'assert': {'that': list(conditions)}}
