"""`python -m generator` runs the same CLI as the `digest` command."""
from generator.cli import run

if __name__ == "__main__":
    run()
