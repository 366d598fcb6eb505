"""``python -m keras_compat``: the same as the ``keras-compat`` command."""

import sys

from keras_compat.cli import main

if __name__ == "__main__":
    sys.exit(main())
