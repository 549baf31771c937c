from mdnet.cli import program

program()
