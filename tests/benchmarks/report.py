"""Regenerate the result tables of tests/benchmarks/README.md from the JSON lines of a benchmark run.

    .venv/bin/python tests/benchmarks/report.py tests/output/bench.jsonl [--note TEXT] [--readme PATH]

Replaces what lies between the `<!-- results:start -->` and `<!-- results:end -->` markers; the last line of each
bench in the file wins. --note adds a paragraph under the run line (for example that the machine was busy); --readme
writes to another copy of the README (to try the rendering of a small run).
"""

import argparse
import json
import re
from pathlib import Path

README = Path(__file__).resolve().parent / 'README.md'
START, END = '<!-- results:start -->', '<!-- results:end -->'


def verdict(ok):
    return '**met**' if ok else '**missed**'


CONCURRENT_FLOOR_NOTE = (
    'Each concurrent floor makes the plugin\'s requests (checked against the simulator\'s log) with as many threads, '
    'each with its own keep-alive `requests.Session`, against the same simulator in the same run: plugin and floor are '
    'both bound by the simulator\'s single interpreter (one GIL: waitress, routing, rendering) and by the client\'s, '
    'sharing the machine\'s cores, not by the 20 ms latency alone; the CPU seconds (client / simulator) tell which was '
    'busy. The sequential floor and the limit (N x 20 ms / workers) are bound by the latency only.')


def cpu_text(r, *measures):
    """'CPU s client / simulator: <label> c / s, ...' of the (key, label) measures of a line's cpu_s."""
    def seconds(value):
        return '-' if value is None else '%.2f' % value
    parts = ['%s %s / %s' % (label, seconds(r['cpu_s'][key]['client']), seconds(r['cpu_s'][key]['simulator'])) for key, label in measures]
    return 'CPU s client / simulator: ' + ', '.join(parts)


def listing_row(r, measure):
    """A listing line's row: against the concurrent floor when the line has it, else (issue 12) the sequential one."""
    measure = '%s, %d pages, %d workers' % (measure, r['plugin_requests'], r['workers'])
    parse = 'whole in-process parse (hosts and hostvars added) %.2f s' % r['plugin_parse_s']
    if 'concurrent_floor_s' not in r:
        result = 'plugin listing %.2f s vs sequential floor %.2f s (%d requests): **%.2fx**; %s = %.2fx' % (
            r['plugin_listing_s'], r['floor_s'], r['floor_requests'], r['ratio'], parse, r['parse_ratio'])
        return measure, result, '<= %.2fx' % r['target_ratio'], verdict(r['ratio'] <= r['target_ratio'])
    target = r['target_ratio_to_concurrent_floor']
    return (measure, 'plugin listing %.2f s vs bare concurrent floor %.2f s (%d requests, %d threads): **%.2fx**; %s = %.2fx; '
            'sequential floor %.2f s (%d requests): %.2fx, whole parse %.2fx; %s' % (
                r['plugin_listing_s'], r['concurrent_floor_s'], r['concurrent_floor_requests'], r['workers'],
                r['ratio_to_concurrent_floor'], parse, r['parse_ratio_to_concurrent_floor'], r['floor_s'], r['floor_requests'],
                r['ratio'], r['parse_ratio'], cpu_text(r, ('plugin_listing', 'plugin listing'), ('concurrent_floor', 'concurrent floor'),
                                                       ('sequential_floor', 'sequential floor'))),
            '<= %.2fx the concurrent floor' % target, verdict(r['ratio_to_concurrent_floor'] <= target))


def cold_row(r):
    """A cold details line's row: against the concurrent floor when the line has it, else (issue 12) the limit."""
    measure = 'Cold details, %s servers, %d workers' % (f"{r['servers']:,}", r['workers'])
    bold = '' if 'concurrent_floor_s' in r else '**'  # the limit is the measure's reference only in issue 12's lines
    limit = 'limit N x 20 ms / %d = %.1f s: %s%.2fx%s' % (r['workers'], r['limit_s'], bold, r['ratio_to_limit'], bold)
    result = '%.1f s, %d detail requests (%d in all)' % (r['seconds'], r['detail_requests'], r['requests'])
    if 'concurrent_floor_s' not in r:
        target = r.get('target_ratio')
        return (measure, '%s; %s' % (result, limit), '<= %.1fx' % target if target else '-',
                verdict(r['ratio_to_limit'] <= target) if target else '-')
    target = r['target_ratio_to_concurrent_floor']
    return (measure, '%s; plugin fetch %.1f s vs bare concurrent floor %.1f s (%d requests, %d threads): **%.2fx**; whole parse '
            '%.2fx of it; %s; %s' % (
                result, r['fetch_seconds'], r['concurrent_floor_s'], r['concurrent_floor_requests'], r['workers'],
                r['ratio_to_concurrent_floor'], r['parse_ratio_to_concurrent_floor'], limit,
                cpu_text(r, ('plugin_fetch', 'plugin fetch'), ('concurrent_floor', 'concurrent floor'))),
            '<= %.2fx the concurrent floor' % target, verdict(r['ratio_to_concurrent_floor'] <= target))


def rows(results):
    """(measure, result, target, verdict) rows, in a fixed order."""
    out = []
    for bench, label in (('cyberwatch_listing', 'Cyberwatch listing, %s servers'), ('cystack_listing', 'CyStack listing, %s targets')):
        r = results.get(bench)
        if r:
            out.append(listing_row(r, label % f"{r.get('servers', r.get('targets')):,}"))
    colds = sorted((v for k, v in results.items() if k.startswith('details_cold_')), key=lambda v: v['workers'])
    for r in colds:
        out.append(cold_row(r))
    r = results.get('details_warm')
    if r:
        out.append(('Warm details refresh, %d of %s servers re-analysed' % (r['changed'], f"{r['servers']:,}"),
                    '%.2f s (%d detail requests, %d in all) vs list only %.2f s (%d requests): **%.2fx**' % (
                        r['seconds'], r['detail_requests'], r['requests'], r['list_only_s'], r['list_only_requests'],
                        r['ratio_to_list_only']),
                    '<= 1.5x', verdict(r['ratio_to_list_only'] <= 1.5)))
        if 'cpu_s' in r:
            out[-1] = (out[-1][0], out[-1][1] + '; ' + cpu_text(r, ('warm_parse', 'warm refresh'), ('list_only_parse', 'list only')),
                       out[-1][2], out[-1][3])
    r = results.get('playbook_10k')
    if r:
        out.append(('ansible-playbook, %s hosts, one task reading `groups`' % f"{r['hosts']:,}",
                    'plugin %.1f s; static JSON file %.1f s (plugin %.2fx of it); cbw-api-toolbox script %.1f s + '
                    'static file = %.1f s (**%.1fx** the plugin)' % (
                        r['plugin_s'], r['static_file_s'], r['plugin_vs_static'], r['toolbox_script_s'],
                        r['toolbox_plus_static_s'], r['toolbox_total_vs_plugin']),
                    'faster than static; >= 3x vs toolbox',
                    verdict(r['plugin_vs_static'] < 1 and r['toolbox_total_vs_plugin'] >= 3)))
    r = results.get('onboard_noop')
    if r:
        out.append(('No-op `cyberwatch_onboard`, %s hosts' % f"{r['hosts']:,}",
                    '%d requests (%s), %d writes, %.1f s (forks %d)' % (
                        r['requests'], ', '.join('`%s`' % p for p in r['request_paths']), r['writes'], r['seconds'],
                        r['forks']),
                    '<= %d requests, 0 writes' % r['target_requests'],
                    verdict(r['requests'] <= r['target_requests'] and r['writes'] == 0)))
    r = results.get('roles')
    if r:
        for role, label, target in (
                ('onboard_noop', 'No-op `cyberwatch_onboard`', r['target_ratio']),
                ('cve_gate', '`cyberwatch_cve_gate`', r['target_ratio']),
                ('cystack_gate', '`cystack_scan_gate` (%d targets, scans reused)' % r['targets'], r['target_ratio']),
                ('remediation_plan', '`cyberwatch_remediate` plan (check mode)', r.get('plan_target_ratio'))):
            if role + '_s' not in r:  # a run from before the remediation plan was measured
                continue
            ratio = r[role.replace('_noop', '') + '_ratio']
            out.append(('%s, %s hosts (forks %d) vs the Ansible floor play' % (label, f"{r['hosts']:,}", r['forks']),
                        '%.1f s (%d requests) vs floor %.1f s: **%.2fx**' % (r[role + '_s'], r[role + '_requests'],
                                                                             r['floor_s'], ratio),
                        '<= %.1fx' % target, verdict(ratio <= target)))
    r = results.get('inventory_memory')
    if r:
        out.append(('tracemalloc peak, in-process parse of %s servers' % f"{r['servers']:,}",
                    '%.1f MiB (before: %d MiB)' % (r['tracemalloc_peak_mib'], r['before_mib']),
                    '<= %.1f MiB' % r['target_max_mib'], verdict(r['tracemalloc_peak_mib'] <= r['target_max_mib'])))
    r = results.get('simulator_listing')
    if r:
        out.append(('Simulator alone, no latency: %s servers, %d pages' % (f"{r['servers']:,}", r['requests']),
                    '%.2f s (fleet generation and start %.2f s)' % (r['seconds'], r['generate_seconds']), '-', '-'))
    return out


def render(results, note):
    first = min(results.values(), key=lambda r: r['date'])
    last = max(results.values(), key=lambda r: r['date'])
    loads = sorted(float(r['machine'].rsplit('load ', 1)[1]) for r in results.values() if 'load ' in r['machine'])
    lines = ['Run of %s to %s; ansible-core %s, Python %s, %s; 1-minute load average during the benchmarks %s to %s.'
             % (first['date'], last['date'].split(' ', 1)[1] if last['date'][:10] == first['date'][:10] else last['date'],
                first['ansible_core'], first['python'],
                first['machine'].rsplit(', load', 1)[0], '%.1f' % loads[0], '%.1f' % loads[-1]), '']
    if note:
        lines += [note, '']
    if any('concurrent_floor_s' in r for r in results.values()):
        lines += [CONCURRENT_FLOOR_NOTE, '']
    lines += ['| measure | result | target | |', '|---|---|---|---|']
    lines += ['| %s | %s | %s | %s |' % row for row in rows(results)]
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('results')
    parser.add_argument('--note', default='')
    parser.add_argument('--readme', type=Path, default=README, help='the file to update (a copy, to try a run)')
    args = parser.parse_args()
    results = {}
    for line in Path(args.results).read_text().splitlines():
        if line.strip().startswith('{'):
            entry = json.loads(line)
            name = entry['bench'] + ('_%d' % entry['workers'] if entry['bench'] == 'details_cold' else '')
            results[name] = entry
    text = args.readme.read_text()
    pattern = re.compile(re.escape(START) + '.*?' + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit('%s has no %s ... %s section' % (args.readme, START, END))
    args.readme.write_text(pattern.sub(lambda m: START + '\n' + render(results, args.note) + '\n' + END, text))
    print('%s: %d results' % (args.readme, len(results)))


if __name__ == '__main__':
    main()
