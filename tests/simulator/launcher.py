"""`from launcher import Simulator` for the tests, the demo and the benchmarks: the code is core/launcher.py."""

from core.launcher import SERVE, Simulator, collections_root, machine_packages

__all__ = ("SERVE", "Simulator", "collections_root", "machine_packages")

if __name__ == "__main__":
    from core.launcher import main
    main()
