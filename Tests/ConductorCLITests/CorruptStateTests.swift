import ConductorTesting
import Foundation
import Testing

/// State branches damaged or written by a newer version, made with plain git plumbing.
@Suite("corrupt and unsupported state")
struct CorruptStateTests {
    @Test("a run.json that is not JSON: log lists the run as corrupt and warns with the path")
    func corruptRunRecordInLog() throws {
        let sandbox = try Sandbox()
        let ids = try sandbox.populate(12)
        let victim = ids[3]
        let path = "\(runDirectory(victim))/run.json"
        try sandbox.replaceOnBranch(path, with: "{\"id\": \"\(victim)\", not json\n")
        #expect(try sandbox.fileOnBranch(path).hasPrefix("{\"id\""))

        for attempt in ["cold", "warm"] {
            let result = try sandbox.conductor("log")
            #expect(result.status == 0, "\(attempt): \(result)")
            let table = LogTable(result.stdout)
            #expect(table.ids == ids, "\(attempt): every run is still listed")
            for row in table.rows {
                #expect((row.status == "corrupt") == (row.id == victim), "\(attempt): \(row.line)")
            }
            let warnings = lines(result.stderr).filter { $0.hasPrefix("warning:") }
            #expect(warnings.count == 1, "\(attempt): \(result.stderr)")
            #expect(warnings.first?.contains(path) == true, "\(attempt): the warning must name \(path): \(result.stderr)")
        }

        let json = try sandbox.conductor("log", "--json")
        #expect(json.status == 0, "\(json)")
        let entry = try #require(try jsonArray(json.stdout).first { $0["id"] as? String == victim })
        #expect(entry["status"] as? String == "corrupt")
        #expect((entry["problem"] as? String)?.contains(path) == true, "\(entry)")

        let onlyCorrupt = try sandbox.conductor("log", "--status", "corrupt", "--oneline")
        #expect(onlyCorrupt.status == 0)
        #expect(lines(onlyCorrupt.stdout).map { String($0.prefix(26)) } == [victim], "\(onlyCorrupt)")
    }

    @Test("show of a run with a corrupt run.json still shows its events and reports the problem")
    func corruptRunRecordInShow() throws {
        let sandbox = try Sandbox()
        let ids = try sandbox.populate(4)
        let victim = ids[1]
        let path = "\(runDirectory(victim))/run.json"
        try sandbox.replaceOnBranch(path, with: "not json at all")
        let eventFiles = try sandbox.eventFiles(of: victim)

        let result = try sandbox.conductor("show", victim)
        #expect(result.status == 0, "\(result)")
        #expect(lines(result.stdout).first == "run \(victim)")
        #expect(result.stdout.contains("corrupt"), "\(result)")
        #expect(result.stdout.contains("Timeline (\(eventFiles.count) events):"), "\(result)")
        #expect(result.stdout.contains("Problems:") && result.stdout.contains(path), "\(result)")
        #expect(result.stderr.contains(path), "\(result)")

        let json = try jsonObject(try sandbox.conductorOK("show", victim, "--json").stdout)
        #expect(json["run"] is NSNull, "\(json)")
        #expect((json["events"] as? [Any])?.count == eventFiles.count)
        let problems = try #require(json["problems"] as? [String])
        #expect(problems.contains { $0.contains(path) }, "\(problems)")
        #expect((json["summary"] as? [String: Any])?["status"] as? String == "corrupt")

        // The neighbours are unaffected.
        let neighbour = try jsonObject(try sandbox.conductorOK("show", ids[0], "--json").stdout)
        #expect((neighbour["problems"] as? [Any])?.isEmpty == true)
    }

    @Test("format 2: log, show and init exit 6 naming format 2, and nothing changes")
    func unsupportedFormat() throws {
        let sandbox = try Sandbox()
        let ids = try sandbox.populate(3)
        try sandbox.replaceOnBranch("format.json", with: "{\"format\":2,\"tool\":\"git-conductor\"}\n")
        let tip = try sandbox.stateTip()
        let config = try sandbox.configBytes()

        for arguments in [["log"], ["log", "--json"], ["log", "--oneline"], ["show", ids[0]], ["show", ids[0], "--json"], ["init"], ["init", "--json"]] {
            let result = try sandbox.run(Tool.conductor, arguments)
            #expect(result.status == 6, "\(arguments): \(result)")
            #expect(result.stderr.contains("format 2"), "\(arguments): \(result)")
            #expect(result.stdout.isEmpty, "\(arguments): \(result)")
        }
        // A writer refuses the same way.
        let append = try sandbox.run(Tool.synth, ["append", ids[0], "1"])
        #expect(append.status != 0, "\(append)")

        #expect(try sandbox.stateTip() == tip, "the state branch moved")
        #expect(try sandbox.configBytes() == config, ".git/config changed")
    }

    @Test("init on a format-2 branch configures nothing, even with a new remote")
    func initRefusesUnsupportedFormat() throws {
        let sandbox = try Sandbox()
        // A branch written by a "newer" tool, made with plain git only.
        let blob = try sandbox.git("hash-object", "-w", "--stdin", stdin: "{\"format\":2,\"tool\":\"git-conductor\"}\n").output
        let tree = try sandbox.git("mktree", stdin: "100644 blob \(blob)\tformat.json\n").output
        let commit = try sandbox.git("commit-tree", "-m", "newer state", tree).output
        try sandbox.git("update-ref", stateBranch, commit)
        let remote = sandbox.scratch.appending("origin.git")
        try sandbox.git("init", "-q", "--bare", remote)
        try sandbox.git("remote", "add", "origin", remote)
        let config = try sandbox.configBytes()

        let result = try sandbox.conductor("init")
        #expect(result.status == 6, "\(result)")
        #expect(result.stderr.contains("format 2"), "\(result)")
        #expect(try sandbox.stateTip() == commit)
        #expect(try sandbox.configBytes() == config, "init must change nothing on a branch it cannot read")
    }

    @Test("format 2: doctor exits 1 with an error on the state branch")
    func doctorOnUnsupportedFormat() throws {
        let sandbox = try Sandbox()
        try sandbox.populate(2)
        try sandbox.replaceOnBranch("format.json", with: "{\"format\":2,\"tool\":\"git-conductor\"}\n")
        let tip = try sandbox.stateTip()

        let text = try sandbox.conductor("doctor")
        #expect(text.status == 1, "\(text)")
        let stateLine = lines(text.stdout).first { $0.contains("state branch") }
        #expect(stateLine?.hasPrefix("[error]") == true, "\(text)")
        #expect(stateLine?.contains("format 2") == true, "\(text)")

        let json = try sandbox.conductor("doctor", "--json")
        #expect(json.status == 1, "\(json)")
        let check = try #require(try jsonArray(json.stdout).first { $0["name"] as? String == "state branch" })
        #expect(check["level"] as? String == "error")
        #expect((check["message"] as? String)?.contains("format 2") == true, "\(check)")
        #expect(try sandbox.stateTip() == tip)
    }

    @Test("format.json missing or not JSON: log, show and init exit 7; doctor exits 1")
    func corruptFormatFile() throws {
        for damage in ["not json", "missing"] {
            let sandbox = try Sandbox()
            let ids = try sandbox.populate(2)
            if damage == "missing" {
                try sandbox.removeFromBranch("format.json")
            } else {
                try sandbox.replaceOnBranch("format.json", with: "{\"format\": \n")
            }
            let tip = try sandbox.stateTip()
            let config = try sandbox.configBytes()
            for arguments in [["log"], ["log", "--json"], ["show", ids[0]], ["init"]] {
                let result = try sandbox.run(Tool.conductor, arguments)
                #expect(result.status == 7, "format.json \(damage), \(arguments): \(result)")
                #expect(result.stderr.contains("format.json"), "format.json \(damage), \(arguments): \(result)")
            }
            let doctor = try sandbox.conductor("doctor")
            #expect(doctor.status == 1, "format.json \(damage): \(doctor)")
            #expect(try sandbox.stateTip() == tip)
            #expect(try sandbox.configBytes() == config)
        }
    }
}
