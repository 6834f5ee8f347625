from livingsys.cli.main import run

run()
