import ConductorCLI

GitConductor.main()
