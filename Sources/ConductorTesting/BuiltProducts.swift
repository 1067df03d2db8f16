import Foundation

/// Executables that SwiftPM built alongside the tests (`git-conductor`, `conductor-synth`),
/// so tests can run them as child processes exactly as a user or a script would.
public enum BuiltProducts {
    /// The build products directory, such as `.build/x86_64-unknown-linux-gnu/debug`.
    ///
    /// Taken from the environment variable `CONDUCTOR_BUILT_PRODUCTS` when set; otherwise
    /// the directory holding the running test binary (`/proc/self/exe` on Linux, the
    /// `.xctest` bundle on macOS), which is where SwiftPM puts every product.
    public static let directory: String = {
        if let override = ProcessInfo.processInfo.environment["CONDUCTOR_BUILT_PRODUCTS"], !override.isEmpty {
            return override
        }
        #if os(Linux)
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return (executable as NSString).deletingLastPathComponent
        }
        #endif
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            return bundle.bundleURL.deletingLastPathComponent().path
        }
        return Bundle.main.bundleURL.resolvingSymlinksInPath().deletingLastPathComponent().path
    }()

    /// The path of the product executable `name` (it may not exist if it was not built).
    public static func path(_ name: String) -> String {
        directory + "/" + name
    }
}
