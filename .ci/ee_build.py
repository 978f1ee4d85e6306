"""Stage meta/execution-environment.yml and run `ansible-builder create` on it (and `build` when an engine runs); the
same for meta/decision-environment.yml (EDA), `create` only.

    python .ci/ee_build.py [--collection DIR] [--stage DIR] [--build auto|always|never]

The shipped EE file names its dependency files relative to the collection root (what `ansible-builder introspect`
expects from a collection). The stage directory gets both files, requirements.txt, bindep.txt and a freshly built
collection tarball, and `dependencies.galaxy` is pointed at that tarball, so the images contain this very checkout
instead of a Galaxy release. The script also checks that introspection of the collection finds its requirements.
"""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def sh(*cmd, cwd=None):
    print('$ %s' % ' '.join(str(c) for c in cmd), flush=True)
    return subprocess.call([str(c) for c in cmd], cwd=cwd)


def engine():
    """The first container engine whose daemon answers, else None."""
    for name in ('podman', 'docker'):
        if shutil.which(name) and subprocess.call([name, 'info'], stdout=subprocess.DEVNULL,
                                                  stderr=subprocess.DEVNULL) == 0:
            return name
    return None


def stage(collection, target):
    """Write the staged EE and DE definitions into target; returns their paths (EE, DE)."""
    if target.exists():
        shutil.rmtree(target)
    (target / 'collections').mkdir(parents=True)
    if sh(BIN / 'ansible-galaxy', 'collection', 'build', '--force', '--output-path', target / 'collections',
          cwd=collection):
        raise SystemExit('collection build failed')
    tarball = next((target / 'collections').glob('secops-vulnmgmt-*.tar.gz'))
    staged = []
    for name in ('execution-environment.yml', 'decision-environment.yml'):
        definition = yaml.safe_load((collection / 'meta' / name).read_text())
        deps = definition['dependencies']
        for key in ('python', 'system'):
            if isinstance(deps.get(key), str):  # a file of the collection root; the DE lists its own packages
                shutil.copy(collection / deps[key], target / deps[key])
        deps['galaxy'] = {'collections': [{'name': 'collections/%s' % tarball.name, 'type': 'file'}]}
        definition['additional_build_files'] = [{'src': 'collections/%s' % tarball.name, 'dest': 'collections'}]
        (target / name).write_text(yaml.safe_dump(definition, sort_keys=False))
        staged.append(target / name)
    return staged


def create(definition, context, needed):
    """`ansible-builder create`; its Containerfile and _build files must mention each of needed."""
    if sh(BIN / 'ansible-builder', 'create', '-f', definition, '-c', context, '-v', '1'):
        return False
    containerfile = next(context.glob('*file'))  # Containerfile (podman) or Dockerfile (docker)
    text = '\n'.join(p.read_text() for p in [containerfile] + sorted((context / '_build').glob('*.*')) if p.is_file())
    missing = [s for s in needed if s not in text]
    if missing:
        print('%s lacks %s' % (containerfile, missing))
        return False
    print('ansible-builder create: %s (%d lines)' % (containerfile, len(containerfile.read_text().splitlines())))
    return True


def introspect_finds_requirements(collection):
    """Introspection (what builds of any EE run on installed collections) must read our meta file."""
    root = collection.parents[2]
    out = subprocess.run([str(BIN / 'ansible-builder'), 'introspect', '--sanitize', str(root)], capture_output=True,
                         text=True, check=False)
    print(out.stdout.strip())
    ok = out.returncode == 0 and 'requests' in out.stdout and 'secops.vulnmgmt' in out.stdout
    print('introspect: %s' % ('requirements.txt and bindep.txt found' if ok else 'FAILED\n' + out.stderr))
    return ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--collection', type=Path, default=REPO / '.cache' / 'ci' / 'root' / 'ansible_collections'
                        / 'secops' / 'vulnmgmt', help='a copy of the collection under ansible_collections/NS/NAME')
    parser.add_argument('--stage', type=Path, default=REPO / '.cache' / 'ee')
    parser.add_argument('--build', choices=['auto', 'always', 'never'], default='auto')
    args = parser.parse_args()
    definition, decision = stage(args.collection.resolve(), args.stage.resolve())
    image = ('docker.io/redhat/ubi9', 'requirements.yml', 'ansible-galaxy collection install', 'ansible-core>=2.21')
    if not create(definition, args.stage / 'context', image):
        return 1
    if not create(decision, args.stage / 'de-context', image + ('ansible-rulebook', 'java-17-openjdk', 'JAVA_HOME')):
        return 1
    if not introspect_finds_requirements(args.collection.resolve()):
        return 1
    runtime = engine()
    if args.build == 'never' or (args.build == 'auto' and runtime is None):
        print('ansible-builder build: skipped (%s)' % ('--build never' if args.build == 'never'
                                                       else 'no running container engine'))
        return 0
    if runtime is None:
        print('ansible-builder build: no running container engine (podman or docker)')
        return 1
    return sh(BIN / 'ansible-builder', 'build', '-f', definition, '-c', args.stage / 'context',
              '--container-runtime', runtime, '-t', 'secops-vulnmgmt-ee:dev', '-v', '2')


if __name__ == '__main__':
    sys.exit(main())
