"""Build the bundled example site: content/ → output/. Same as `gxsite build`."""
import sys

from gxsite.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
