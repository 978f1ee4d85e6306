# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reconcile engine shared by every state module of both platforms.

A module declares a ResourceSpec (which options map to which API fields, how they compare, which are secret)
and hands the engine a backend (find/create/update/delete for one object). The engine knows no platform: the backend
finds the object (by id or natural key) and says whether a refused create is a conflict. The engine compares only
the options the user set, and creates, updates (changed fields only), deletes or does nothing.
Check mode predicts the same result and sends no write. The diff is field-level and never shows a secret.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, OptionSpec
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError, found_after

MASK = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'


class ResourceNotUnique(ValueError):
    """A natural-key lookup matched more than one object."""


def normalize(value):
    """Comparable form of an API or option value: ids as text, lists as sorted, '' as None."""
    if value is None or value == '':
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (list, tuple, set)):
        return sorted((normalize(v) for v in value), key=repr)
    if isinstance(value, dict):
        return dict((k, normalize(v)) for k, v in value.items())
    return value


def equal(current, desired):
    return normalize(current) == normalize(desired)


def equal_casefold(current, desired):
    """String equality without case (colors, DNS names)."""
    return equal(str(current).lower() if current is not None else None,
                 str(desired).lower() if desired is not None else None)


class Field(Option):
    """One module option and the API field it sets: Option's declaration (type, rules) plus the mapping.

    to_api(value, params) turns the option value into the API value (friendly -> server enum).
    lookup names what the value designates (a node, a stored credential): the backend resolves a name to an id
    before anything is compared (backend.lookup(kind, value)), with one wording of "not found" everywhere.
    compare(current, desired) says whether the server already has the desired value.
    write_only fields are never returned by the API (no_log options): they are sent on create, and on update only
    when update_password=always. create_only fields are sent on create and never compared (the API does not return
    them). create_default(params) gives the value sent on create when the option is unset (never compared).
    from_api(value) turns the API value into the option's form before compare and diff (group dicts -> ids).
    replace fields cannot be updated: a change deletes the object and creates it again.
    required_on_create fields must be set (or defaulted) to create the object.
    exposed=False: the field is not a module option, only an API field the module sets (with create_default).
    """

    def __init__(self, option, api_name=None, to_api=None, lookup=None, compare=equal, write_only=False,
                 create_only=False, create_default=None, from_api=None, replace=False, required_on_create=False,
                 exposed=True, **declaration):
        no_log = declaration.pop('no_log', True if write_only else None)
        super(Field, self).__init__(option, no_log=no_log, **declaration)
        self.api_name = api_name or option
        self.to_api = to_api
        self.lookup = lookup
        self.compare = compare
        self.write_only = write_only
        self.create_only = create_only
        self.create_default = create_default
        self.from_api = from_api
        self.replace = replace
        self.required_on_create = required_on_create
        self.exposed = exposed

    def current(self, obj):
        """The server's value of this field in the option's form."""
        value = (obj or {}).get(self.api_name)
        return self.from_api(value) if self.from_api and value is not None else value


UPDATE_PASSWORD = Option('update_password', default='on_create', choices=['on_create', 'always'], no_log=False)


class ResourceSpec(OptionSpec):
    """Declaration of a state module's resource: the return key, its fields (options the API stores) and the module's
    other options (how to find the object, what to do). The argument spec comes from it: state (present, absent by
    default) and update_password when a field is write-only are added."""

    def __init__(self, name, fields, options=(), hidden=(), states=('present', 'absent'), **rules):
        super(ResourceSpec, self).__init__(options, states=states, **rules)
        self.name = name
        self.fields = tuple(fields)
        self.hidden = tuple(hidden)  # API fields removed from returned objects
        self.secret_fields = tuple(f.api_name for f in self.fields if f.write_only)

    def all_options(self):
        return tuple(f for f in self.fields if f.exposed) + self.options + (
            (UPDATE_PASSWORD,) if self.secret_fields else ())

    def resolved(self, params, backend):
        """params with each lookup field's name replaced by the id the backend finds for it."""
        return dict(params, **dict((f.name, backend.lookup(f.lookup, params[f.name])) for f in self.fields
                                   if f.lookup and params.get(f.name) is not None))

    def desired(self, params):
        """API field -> value for every option the user set (None means 'not managed')."""
        return dict((f.api_name, f.to_api(params[f.name], params) if f.to_api else params[f.name]) for f in self.fields
                    if params.get(f.name) is not None)

    def create_defaults(self, params):
        """API field -> value sent on create for the unset options that have a create_default."""
        defaults = {}
        for field in self.fields:
            if field.create_default is not None and params.get(field.name) is None:
                value = field.create_default(params)
                if value is not None:
                    defaults[field.api_name] = value
        return defaults

    def field(self, api_name):
        return next((field for field in self.fields if field.api_name == api_name), None)

    def view(self, obj):
        """The object as modules return it: a copy without secrets or hidden fields."""
        if obj is None:
            return None
        obj = copy.deepcopy(obj)
        for name in self.secret_fields + self.hidden:
            obj.pop(name, None)
        return obj

    def masked(self, values):
        """A copy of values with every secret replaced by the no_log mask (for diffs)."""
        return dict((k, MASK if k in self.secret_fields else copy.deepcopy(v)) for k, v in values.items())


class Reconciler:
    """Drive one object to the desired state. Backends implement find/create/update/delete (+ can_create), and
    is_conflict(error) when they create: whether a refused create means another run took the natural key first."""

    def __init__(self, spec, backend, check_mode=False, update_password='on_create'):
        self.spec = spec
        self.backend = backend
        self.check_mode = check_mode
        self.update_password = update_password

    def changes(self, current, desired):
        """The subset of desired that differs from current (write-only fields per update_password)."""
        changed = {}
        for api_name, value in desired.items():
            field = self.spec.field(api_name)
            if field is not None and field.create_only:
                continue
            if field is not None and field.write_only:
                if self.update_password == 'always':
                    changed[api_name] = value
                continue
            if not (field.compare if field is not None else equal)(self._current(current, api_name), value):
                changed[api_name] = value
        return changed

    def present(self, desired, current=None, found=False, defaults=None):
        """Create or update; returns the module result dict. defaults are added to the body of a create."""
        if not found:
            current = self.backend.find()
        if current is None:
            if not getattr(self.backend, 'can_create', True):
                raise ValueError(self.backend.not_found_message())
            try:
                return self._create(dict(defaults or {}, **desired), {})
            except ApiError as exc:
                return self._after_failed_create(exc, desired, defaults)
        updates = self.changes(current, desired)
        if not updates:
            return self._result(False, current, {}, {})
        if any(self._is_replace(k) for k in updates):
            return self._replace(current, dict(defaults or {}, **desired))
        obj = self.backend.update(current, updates) if not self.check_mode else self._predict(current, updates)
        before = dict((k, self._current(current, k)) for k in updates)
        return self._result(True, obj, self.spec.masked(before), self.spec.masked(updates))

    def _after_failed_create(self, exc, desired, defaults):
        """Look again after a create that lost a race or lost its answer, and converge from what is there.

        The object found is updated (or left alone) like any other; when the failure may have hidden our own create,
        the result says changed. Nothing found: the original error, which says what to do.
        """
        conflict = self.backend.is_conflict(exc)
        if not (conflict or exc.unsure):
            raise exc
        current = found_after(exc, self.backend.find)
        result = self.present(desired, current=current, found=True, defaults=defaults)
        result['changed'] = result['changed'] or exc.unsure
        result['recovered'] = '%s, then the lookup found %s id %s: converged from it' % (
            exc.summary('already taken' if conflict else None), self.spec.name, current.get('id'))
        return result

    def _create(self, body, before):
        missing = [f.name for f in self.spec.fields if f.required_on_create and body.get(f.api_name) is None]
        if missing:
            raise ValueError('%s is required to create a %s: %s' % (
                ' and '.join(missing), self.spec.name, getattr(self.backend, 'describe', lambda: 'new one')()))
        obj = self.backend.create(body) if not self.check_mode else self._predict({}, body)
        return self._result(True, obj, before, self.spec.masked(body))

    def _replace(self, current, body):
        """Delete then create: for objects whose changed field the server cannot update.

        The new object keeps the current values of the fields the user did not set.
        """
        kept = dict((f.api_name, f.current(current)) for f in self.spec.fields
                    if not (f.write_only or f.create_only) and f.current(current) is not None)
        kept.update(body)
        body = kept
        if not self.check_mode:
            self.backend.delete(current)
        result = self._create(body, self.spec.masked(self.spec.view(current)))
        result['replaced'] = True
        return result

    def _current(self, current, api_name):
        field = self.spec.field(api_name)
        return field.current(current) if field is not None else current.get(api_name)

    def _is_replace(self, api_name):
        field = self.spec.field(api_name)
        return field is not None and field.replace

    def absent(self, current=None, found=False):
        if not found:
            current = self.backend.find()
        if current is None:
            return self._result(False, None, {}, {})
        if not self.check_mode:
            self.backend.delete(current)
        return self._result(True, None, self.spec.masked(self.spec.view(current)), {})

    def _predict(self, current, changes):
        """What the server would return in check mode: current with the changes, secrets left out."""
        predicted = copy.deepcopy(current) if current else {'id': None}
        predicted.update(dict((k, v) for k, v in changes.items() if k not in self.spec.secret_fields))
        return predicted

    def _result(self, changed, obj, before, after):
        return {
            'changed': changed,
            self.spec.name: self.spec.view(obj),
            'diff': {'before': before, 'after': after},
        }


def reconcile(module, spec, backend, desired=None):
    """Run the engine for module.params['state'] (default present) and return the module result."""
    reconciler = Reconciler(spec, backend, check_mode=module.check_mode,
                            update_password=module.params.get('update_password') or 'on_create')
    if module.params.get('state') == 'absent':
        return reconciler.absent()
    params = spec.resolved(module.params, backend)
    return reconciler.present(spec.desired(params) if desired is None else desired,
                              defaults=spec.create_defaults(params))
