"""The one duration grammar (stale_after, max_age) and the one timestamp reader, on the shapes the APIs answer."""

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.secops.vulnmgmt.plugins.module_utils.times import duration, timestamp

UTC = timezone.utc
FORMS = 'a number of seconds (90) or numbers followed by a unit s, m, h, d or w, combinable (30m, 12h, 30d, 1h30m)'


@pytest.mark.parametrize('value,seconds', [
    (90, 90), ('90', 90), ('90s', 90), ('90S', 90), ('30m', 1800), ('2h', 7200), ('2H', 7200), ('1d', 86400),
    ('30d', 2592000), ('1w', 604800), (' 2w ', 1209600), ('1h30m', 5400), ('1h 30m', 5400), ('1w2d3h4m5s', 788645),
])
def test_the_grammar(value, seconds):
    assert duration(value, 'max_age') == seconds


@pytest.mark.parametrize('value', ['2 hours', '30 days', 'h', '-5', -5, '1.5h', 1.5, '1h30', '30x', '', 'soon', True])
def test_anything_else_names_the_option_and_the_accepted_forms(value):
    with pytest.raises(ValueError) as error:
        duration(value, 'max_age')
    assert str(error.value) == 'max_age must be a positive duration: %s; got %r' % (FORMS, value)


def test_none_is_no_duration():
    assert duration(None, 'max_age') is None


@pytest.mark.parametrize('value', [0, '0', '0h', '0h0m'])
def test_zero_only_where_the_option_allows_it(value):
    assert duration(value, 'max_age', minimum=0) == 0
    with pytest.raises(ValueError, match=r'^stale_after must be a positive duration: '):
        duration(value, 'stale_after')


def test_without_a_minimum_the_message_says_a_duration():
    with pytest.raises(ValueError, match=r"^max_age must be a duration: a number of seconds \(90\) or .*; got '2 hours'$"):
        duration('2 hours', 'max_age', minimum=0)


# max_age (cystack_scan): what it accepted before the one grammar, unchanged.
@pytest.mark.parametrize('value,seconds', [(90, 90), ('90', 90), ('90s', 90), ('30m', 1800), ('2h', 7200),
                                           ('1d', 86400), ('1w', 604800), ('1h30m', 5400), ('2H', 7200), (0, 0)])
def test_max_age(value, seconds):
    assert duration(value, 'max_age', minimum=0) == seconds


@pytest.mark.parametrize('value', ['2 hours', 'h', '-5', '1.5h', '1h30', ''])
def test_max_age_refusals(value):
    with pytest.raises(ValueError, match='^max_age must be a duration: '):
        duration(value, 'max_age', minimum=0)


# stale_after (cyberwatch_agent, cyberwatch_agent_info): positive, with a unit, and now with combined units too.
@pytest.mark.parametrize('text,seconds', [('30d', 2592000), ('12h', 43200), (' 2w ', 1209600), ('90S', 90),
                                          ('1h30m', 5400), ('1d12h', 129600)])
def test_stale_after(text, seconds):
    assert duration(text, 'stale_after', unit_required=True) == seconds


@pytest.mark.parametrize('text', ['30', '30 days', '-1d', '0m', '0d0h'])
def test_stale_after_refusals(text):
    with pytest.raises(ValueError) as error:
        duration(text, 'stale_after', unit_required=True)
    assert str(error.value) == ('stale_after must be a positive duration: numbers followed by a unit s, m, h, d or w, '
                                'combinable (30m, 12h, 30d, 1h30m); got %r' % text)


# Timestamps, as the APIs and their cassettes answer them.
MOMENT = datetime(2021, 2, 22, 9, 41, 1, tzinfo=UTC)


@pytest.mark.parametrize('value', [
    '2021-02-22T10:41:01.000+01:00',        # Cyberwatch last_communication, analyzed_at (cassettes)
    '2021-02-22T09:41:01Z',
    '2021-02-22T09:41:01',                  # naive: UTC
    ' 2021-02-22T09:41:01.000+00:00 ',
    'Mon, 22 Feb 2021 09:41:01 GMT',        # an HTTP Date header (cassettes)
    'Mon, 22 Feb 2021 10:41:01 +0100',
    1613986861, 1613986861.0, '1613986861',  # CyStack scan details: epoch seconds
])
def test_timestamps(value):
    moment = timestamp(value)
    assert moment == MOMENT and moment.tzinfo == UTC and moment.timestamp() == 1613986861


def test_a_platform_local_time_text():
    list_time = ('%H:%M:%S %d/%m/%Y', timezone(timedelta(hours=7)))   # CyStack scan lists, UTC+7
    assert timestamp('13:58:01 20/11/2017', local=list_time) == datetime(2017, 11, 20, 6, 58, 1, tzinfo=UTC)
    assert timestamp('2021-02-22T09:41:01Z', local=list_time) == MOMENT
    with pytest.raises(ValueError):
        timestamp('13:58:01 20/11/2017')


@pytest.mark.parametrize('value', [None, ''])
def test_no_timestamp(value):
    assert timestamp(value) is None and timestamp(value, strict=False) is None


@pytest.mark.parametrize('value', ['yesterday', '22/02/2021', True, ['2021-02-22T09:41:01Z'], 10 ** 20, '9' * 30])
def test_unreadable_timestamps_fail_or_are_none(value):
    with pytest.raises(ValueError, match='is not a timestamp'):
        timestamp(value)
    assert timestamp(value, strict=False) is None
