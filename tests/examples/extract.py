"""Extract every example of the collection's docs, as (source, line, language, text, marker) records.

Where examples live:
- the EXAMPLES string of every module (a YAML list of tasks) and inventory plugin (an inventory source);
- the ```yaml / ```bash / ```console fences of README.md, roles/*/README.md and docs/guides/*.md;
- the `.. code-block:: yaml` / `bash` / `console` blocks of docs/docsite/rst/*.rst;
- the rulebooks of extensions/eda/rulebooks/.

A block that cannot run here says so, with the reason, on its first line (`# example: not-run: REASON`, a YAML or
shell comment), or just before it: `.. example: not-run: REASON` (an rst comment) or
`<!-- example: not-run: REASON -->` (Markdown), which do not render.
"""

import ast
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LANGUAGES = {'yaml': 'yaml', 'yml': 'yaml', 'bash': 'shell', 'sh': 'shell', 'shell': 'shell', 'console': 'shell'}
MARKER = re.compile(r'^\s*(?:#|\.\.|<!--)\s*example:\s*not-run:\s*(?P<reason>.+?)\s*(?:-->)?\s*$')
FENCE = re.compile(r'^(?P<indent>\s*)```(?P<lang>[\w-]*)\s*$')
CODE_BLOCK = re.compile(r'^(?P<indent>\s*)\.\. code-block::\s*(?P<lang>\S+)\s*$')

TITLE = re.compile(r'^\s*-?\s*name:\s*(.+)$', re.M)


@dataclass
class Example:
    source: str          # path relative to the repository
    line: int            # first line of the block in that file (1-based; for EXAMPLES, the line of the assignment)
    language: str        # 'yaml' or 'shell'
    text: str
    marker: str = None   # the not-run reason, when the block carries one
    origin: str = 'doc'  # 'module', 'inventory', 'role-readme', 'rulebook' or 'doc'

    @property
    def name(self):
        return '%s:%d' % (self.source, self.line)

    @property
    def key(self):
        """The file and the block's first `name:` (line numbers move when docs change)."""
        title = TITLE.search(self.text)
        return '%s: %s' % (self.source, title.group(1).strip() if title else 'line %d' % self.line)


def _marker_in(text):
    first = next((line for line in text.splitlines() if line.strip()), '')
    found = MARKER.match(first)
    return found.group('reason') if found else None


def _marker_before(lines, index):
    """The marker on the last non-blank line before lines[index], if any."""
    for line in reversed(lines[:index]):
        if line.strip():
            found = MARKER.match(line)
            return found.group('reason') if found else None
    return None


def plugin_examples(path, origin):
    tree = ast.parse(path.read_text(encoding='utf-8'))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, 'id', None) for t in node.targets] == ['EXAMPLES']:
            text = node.value.value
            yield Example(str(path.relative_to(REPO)), node.lineno, 'yaml', text, _marker_in(text), origin)


def markdown_examples(path, origin='doc'):
    lines = path.read_text(encoding='utf-8').splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        end = next((i for i in range(index + 1, len(lines)) if lines[i].strip() == '```'), len(lines))  # unclosed: to the end
        language = LANGUAGES.get(opening.group('lang'))
        if language:
            text = textwrap.dedent('\n'.join(lines[index + 1:end])) + '\n'
            yield Example(str(path.relative_to(REPO)), index + 2, language, text,
                          _marker_before(lines, index) or _marker_in(text), origin)
        index = end + 1


def rst_examples(path):
    lines = path.read_text(encoding='utf-8').splitlines()
    for index, line in enumerate(lines):
        opening = CODE_BLOCK.match(line)
        if not opening or opening.group('lang') not in LANGUAGES:
            continue
        body, start = [], index + 1
        while start < len(lines) and (not lines[start].strip() or lines[start].startswith(' ')):
            body.append(lines[start])
            start += 1
        if not any(b.strip() for b in body):
            continue
        text = textwrap.dedent('\n'.join(body)).strip('\n') + '\n'
        first = index + 2 + next((i for i, b in enumerate(body) if b.strip()), 0)
        yield Example(str(path.relative_to(REPO)), first, LANGUAGES[opening.group('lang')], text,
                      _marker_before(lines, index) or _marker_in(text))


def all_examples(repo=REPO):
    found = []
    for path in sorted((repo / 'plugins' / 'modules').glob('*.py')):
        found.extend(plugin_examples(path, 'module'))
    for path in sorted((repo / 'plugins' / 'inventory').glob('*.py')):
        found.extend(plugin_examples(path, 'inventory'))
    for path in sorted((repo / 'roles').glob('*/README.md')):
        found.extend(markdown_examples(path, 'role-readme'))
    for path in [repo / 'README.md', repo / 'CONTRIBUTING.md'] + sorted((repo / 'docs' / 'guides').glob('*.md')):
        if path.exists():
            found.extend(markdown_examples(path))
    for path in sorted((repo / 'docs' / 'docsite' / 'rst').glob('*.rst')):
        found.extend(rst_examples(path))
    for path in sorted((repo / 'extensions' / 'eda' / 'rulebooks').glob('*.y*ml')):
        text = path.read_text(encoding='utf-8')
        found.append(Example(str(path.relative_to(REPO)), 1, 'yaml', text, _marker_in(text), 'rulebook'))
    return found


if __name__ == '__main__':
    for example in all_examples():
        print('%-55s %-6s %-12s %s' % (example.name, example.language, example.origin, example.marker or ''))
