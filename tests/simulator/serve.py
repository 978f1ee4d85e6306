"""The simulator's command line, as documented (`python tests/simulator/serve.py ...`): the code is core/serve.py."""

from core.serve import main

if __name__ == "__main__":
    main()
