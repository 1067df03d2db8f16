import ConductorCLI

/// git runs this executable for `git conductor`; everything else lives in ConductorCLI.
@main
enum Entry {
    static func main() async {
        await GitConductor.main()
    }
}
