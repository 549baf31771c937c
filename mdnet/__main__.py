from mdnet.cli import main

main()
