from workbench.cli.commands import main

main()
