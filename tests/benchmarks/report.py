"""Regenerate the result tables of tests/benchmarks/README.md from the JSON lines of a benchmark run.

    .venv/bin/python tests/benchmarks/report.py tests/output/bench.jsonl [--note TEXT]

Replaces what lies between the `<!-- results:start -->` and `<!-- results:end -->` markers; the last line of each
bench in the file wins. --note adds a paragraph under the run line (for example that the machine was busy).
"""

import argparse
import json
import re
from pathlib import Path

README = Path(__file__).resolve().parent / 'README.md'
START, END = '<!-- results:start -->', '<!-- results:end -->'


def verdict(ok):
    return '**met**' if ok else '**missed**'


def rows(results):
    """(measure, result, target, verdict) rows, in a fixed order."""
    out = []
    r = results.get('cyberwatch_listing')
    if r:
        out.append(('Cyberwatch listing, %s servers, %d pages, %d workers' % (f"{r['servers']:,}", r['plugin_requests'], r['workers']),
                    'plugin listing %.2f s vs sequential floor %.2f s (%d requests): **%.2fx**; whole in-process parse '
                    '(hosts and hostvars added) %.2f s = %.2fx' % (
                        r['plugin_listing_s'], r['floor_s'], r['floor_requests'], r['ratio'], r['plugin_parse_s'],
                        r['parse_ratio']),
                    '<= 0.25x', verdict(r['ratio'] <= 0.25)))
    r = results.get('cystack_listing')
    if r:
        out.append(('CyStack listing, %s targets, %d pages, %d workers' % (f"{r['targets']:,}", r['plugin_requests'], r['workers']),
                    'plugin listing %.2f s vs sequential floor %.2f s (%d requests): **%.2fx**; whole parse %.2f s = '
                    '%.2fx' % (r['plugin_listing_s'], r['floor_s'], r['floor_requests'], r['ratio'], r['plugin_parse_s'],
                               r['parse_ratio']),
                    '<= 0.25x', verdict(r['ratio'] <= 0.25)))
    colds = sorted((v for k, v in results.items() if k.startswith('details_cold_')), key=lambda v: v['workers'])
    for r in colds:
        target = r.get('target_ratio')
        out.append(('Cold details, %s servers, %d workers' % (f"{r['servers']:,}", r['workers']),
                    '%.1f s, %d detail requests (%d in all); limit N x 20 ms / %d = %.1f s: **%.2fx**' % (
                        r['seconds'], r['detail_requests'], r['requests'], r['workers'], r['limit_s'], r['ratio_to_limit']),
                    '<= %.1fx' % target if target else '-', verdict(r['ratio_to_limit'] <= target) if target else '-'))
    r = results.get('details_warm')
    if r:
        out.append(('Warm details refresh, %d of %s servers re-analysed' % (r['changed'], f"{r['servers']:,}"),
                    '%.2f s (%d detail requests, %d in all) vs list only %.2f s (%d requests): **%.2fx**' % (
                        r['seconds'], r['detail_requests'], r['requests'], r['list_only_s'], r['list_only_requests'],
                        r['ratio_to_list_only']),
                    '<= 1.5x', verdict(r['ratio_to_list_only'] <= 1.5)))
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
        for role, label in (('onboard_noop', 'No-op `cyberwatch_onboard`'), ('cve_gate', '`cyberwatch_cve_gate`'),
                            ('cystack_gate', '`cystack_scan_gate` (%d targets, scans reused)' % r['targets'])):
            ratio = r[role.replace('_noop', '') + '_ratio']
            out.append(('%s, %s hosts (forks %d) vs the Ansible floor play' % (label, f"{r['hosts']:,}", r['forks']),
                        '%.1f s (%d requests) vs floor %.1f s: **%.2fx**' % (r[role + '_s'], r[role + '_requests'],
                                                                             r['floor_s'], ratio),
                        '<= %.1fx' % r['target_ratio'], verdict(ratio <= r['target_ratio'])))
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
             % (first['date'], last['date'].split(' ', 1)[1], first['ansible_core'], first['python'],
                first['machine'].rsplit(', load', 1)[0], '%.1f' % loads[0], '%.1f' % loads[-1]), '']
    if note:
        lines += [note, '']
    lines += ['| measure | result | target | |', '|---|---|---|---|']
    lines += ['| %s | %s | %s | %s |' % row for row in rows(results)]
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('results')
    parser.add_argument('--note', default='')
    args = parser.parse_args()
    results = {}
    for line in Path(args.results).read_text().splitlines():
        if line.strip().startswith('{'):
            entry = json.loads(line)
            name = entry['bench'] + ('_%d' % entry['workers'] if entry['bench'] == 'details_cold' else '')
            results[name] = entry
    text = README.read_text()
    pattern = re.compile(re.escape(START) + '.*?' + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit('%s has no %s ... %s section' % (README, START, END))
    README.write_text(pattern.sub(lambda m: START + '\n' + render(results, args.note) + '\n' + END, text))
    print('%s: %d results' % (README, len(results)))


if __name__ == '__main__':
    main()
