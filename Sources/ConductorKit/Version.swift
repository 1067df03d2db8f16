/// The version of git-conductor, shown by `--version` and recorded in provenance.
public enum ConductorVersion {
    public static let current = "0.1.0"
}
