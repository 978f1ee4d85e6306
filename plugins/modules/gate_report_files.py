#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The action plugin of the same name does the work, on the controller; its argument spec is read from these options.
DOCUMENTATION = r'''
module: gate_report_files
short_description: Write a vulnerability gate summary as JSON, Markdown, SARIF and JUnit XML files on the controller
version_added: 0.3.0
description:
  - Renders a summary returned by P(secops.vulnmgmt.gate_evaluate#filter) in each format of O(formats) and writes it
    in O(dir), on the controller.
  - V(json) writes C(<name>.json), the summary itself; V(markdown) C(<name>.md)
    (P(secops.vulnmgmt.gate_report#filter)); V(sarif) C(<name>.sarif), a SARIF 2.1.0 log for GitHub code scanning
    (P(secops.vulnmgmt.gate_sarif#filter)); V(junit) C(<name>.junit.xml), a test report for GitLab, Jenkins or Azure
    Pipelines (P(secops.vulnmgmt.gate_junit#filter)).
  - One task writes every file in its own process, without a module run per file (two per file with
    C(ansible.builtin.copy)).
  - A file whose content and mode (V(0644)) are already right is left as it is. A new content is written to a
    temporary file in O(dir), then renamed over the file.
  - The gate roles write their reports with it, through P(secops.vulnmgmt.gate_report#role).
notes:
  - The files are written on the controller, whatever the task's host or delegation, as the reports of a play are.
  - Scanner strings in the summary are written as they are, escaped by each format, and are never templated.
author:
  - secops.vulnmgmt maintainers (@secops)
options:
  summary:
    description: A summary returned by P(secops.vulnmgmt.gate_evaluate#filter).
    type: dict
    required: true
  dir:
    description: Directory of the files on the controller; created (mode V(0755)) when it does not exist.
    type: path
    required: true
  name:
    description: Base name of the files, without a directory (no C(/) nor NUL; not V(.) nor V(..)).
    type: str
    default: gate
  formats:
    description: The files to write.
    type: list
    elements: str
    choices: [json, markdown, sarif, junit]
    default: [json, markdown, sarif, junit]
attributes:
  action:
    support: full
    description: The action plugin renders and writes the files on the controller; no module runs.
  check_mode:
    support: full
    description: Reports the files that would be created or changed, and writes nothing.
  diff_mode:
    support: full
    description: Shows each changed file before and after; for a file larger than 104,448 bytes, says that its diff
      was skipped.
  platform:
    support: full
    platforms: posix
    description: The controller.
'''

EXAMPLES = r'''
- name: Evaluate two findings of a scan against a threshold
  ansible.builtin.set_fact:
    shop_gate: "{{ [{'subject': 'shop.example.com', 'id': 'CVE-2024-3094', 'severity': 'critical'},
      {'subject': 'shop.example.com', 'id': 'CVE-2023-44487', 'severity': 'high'}]
      | secops.vulnmgmt.gate_evaluate({'critical': 0}, name='shop') }}"

- name: Write its SARIF and JUnit reports for the pipeline
  secops.vulnmgmt.gate_report_files:
    summary: "{{ shop_gate }}"
    dir: reports
    name: shop-gate
    formats: [sarif, junit]
'''

RETURN = r'''
files:
  description: Each file of O(formats), in that order, and whether it was (or, in check mode, would be) written.
  returned: always
  type: list
  elements: dict
  contains:
    format:
      description: Its format, one of O(formats).
      type: str
      sample: sarif
    path:
      description: Its path.
      type: str
      sample: reports/shop-gate.sarif
    changed:
      description: Whether it was created or changed (its content or its mode).
      type: bool
      sample: true
  sample:
    - {format: sarif, path: reports/shop-gate.sarif, changed: true}
    - {format: junit, path: reports/shop-gate.junit.xml, changed: false}
'''
