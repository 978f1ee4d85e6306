"""Offline stand-in for ansible-test's get-pip bootstrap: ensurepip, then pip from the package index."""
import subprocess
import sys

GET_PIP_ONLY = ('--no-setuptools', '--no-wheel', '--no-pip')
args = [a for a in sys.argv[1:] if a not in GET_PIP_ONLY]
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'], stdout=subprocess.DEVNULL)
subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--upgrade', '--quiet'] + args)
if '--no-setuptools' in sys.argv[1:]:
    # ensurepip on Python < 3.12 also installs setuptools; get-pip would not.
    subprocess.call([sys.executable, '-m', 'pip', 'uninstall', '--yes', '--quiet', 'setuptools'],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
