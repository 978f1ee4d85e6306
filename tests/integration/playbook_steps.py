"""Task builders for the integration tests that pack a whole life cycle into one playbook run (the request log then
tells which tasks wrote): module tasks, asserts, and tasks that must fail with a message."""

import re


def task_of(default_module):
    """task(module=default_module, check=False, register='result', **params): a module task registering its result;
    check=True runs it in check mode (the task keyword)."""
    def task(module=default_module, check=False, register='result', **params):
        step = {module: params, 'register': register}
        if check:
            step['check_mode'] = True
        return step
    return task


def that(*conditions):
    return {'assert': {'that': list(conditions)}}


def fails_with(step, message):
    """Two tasks: step (a task registering `result`, its failure ignored) and the assert that it failed with message."""
    return [dict(step, ignore_errors=True), that('result is failed', 'result.msg is search(%r)' % re.escape(message))]
