from showcase.cli import run

run()
