from facilitator.cli import run

run()
