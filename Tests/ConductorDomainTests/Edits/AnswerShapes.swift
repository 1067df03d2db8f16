import ConductorDomain
import Testing

/// Fixture data for AnswerShapeCorpusTests: answers shaped the ways real models write edits,
/// each a correct fix of the same four-line file, and answers that hold no edit at all.
enum AnswerShapes {
    static let path = "src/greet.py"

    static let before = """
    def greet(name):
        message = "Hello " + name
        print(message)
        return message

    """

    static let after = """
    def greet(name):
        message = "Hello, " + name + "!"
        print(message)
        return message

    """

    /// The fix as SEARCH/REPLACE lines (no fence, no path).
    static let searchReplace = """
    <<<<<<< SEARCH
        message = "Hello " + name
    =======
        message = "Hello, " + name + "!"
    >>>>>>> REPLACE
    """

    static func fenced(_ pathLine: String, info: String = "python", body: String = searchReplace) -> String {
        "I fixed the greeting.\n\n\(pathLine)\n```\(info)\n\(body)\n```\n\nThat adds the comma.\n"
    }

    struct Shape: Sendable, CustomTestStringConvertible {
        let name: String
        let answer: String
        /// Whether the shape was applied before issue 14 (kept here to show what was added).
        var worked = false
        /// The tolerance the match needs, when not exact.
        var tolerance: MatchTolerance? = nil
        var testDescription: String { name }
    }

    static let diffBody = """
    --- a/src/greet.py
    +++ b/src/greet.py
    @@ -1,4 +1,4 @@
     def greet(name):
    -    message = "Hello " + name
    +    message = "Hello, " + name + "!"
         print(message)
         return message
    """

    static let positive: [Shape] = [
        Shape(name: "plain path line, fenced SEARCH/REPLACE", answer: fenced(path), worked: true),
        Shape(name: "path in backticks", answer: fenced("`\(path)`"), worked: true),
        Shape(name: "whole file", answer: fenced(path, body: after.dropLast().description), worked: true),
        Shape(name: "tilde fence", answer: "\(path)\n~~~\n\(searchReplace)\n~~~\n", worked: true),
        Shape(name: "SEARCH indented uniformly less than the file", answer: fenced(path, body: """
        <<<<<<< SEARCH
        message = "Hello " + name
        print(message)
        =======
        message = "Hello, " + name + "!"
        print(message)
        >>>>>>> REPLACE
        """), worked: true, tolerance: .indentation(shift: "4 spaces added")),
        Shape(name: "**path**", answer: fenced("**\(path)**")),
        Shape(name: "`path`:", answer: fenced("`\(path)`:")),
        Shape(name: "### path", answer: fenced("### \(path)")),
        Shape(name: "#### `path`", answer: fenced("#### `\(path)`")),
        Shape(name: "./path", answer: fenced("./\(path)")),
        Shape(name: "Filename: path", answer: fenced("Filename: \(path)")),
        Shape(name: "**File:** `path`", answer: fenced("**File:** `\(path)`")),
        Shape(name: "path: with a trailing colon", answer: fenced("\(path):")),
        Shape(name: "a numbered list item", answer: fenced("1. **`\(path)`**")),
        Shape(name: "path line, a blank line, then the fence", answer: "\(path)\n\n```python\n\(searchReplace)\n```\n"),
        Shape(name: "path in the fence's info string after the language", answer: fenced("Here it is:", info: "python \(path)")),
        Shape(name: "path as the whole info string", answer: fenced("Here it is:", info: path)),
        Shape(name: "path on the fence's first line, then SEARCH/REPLACE", answer: fenced("Here it is:", body: "\(path)\n\(searchReplace)")),
        Shape(name: "path in a comment on the fence's first line, whole file", answer: fenced("Here it is:", body: "# \(path)\n" + after.dropLast())),
        Shape(name: "SEARCH/REPLACE without a fence", answer: "Change this:\n\n\(path)\n\(searchReplace)\n\nDone.\n"),
        Shape(name: "SEARCH differing only by trailing whitespace", answer: fenced(path, body: """
        <<<<<<< SEARCH
            message = "Hello " + name  \t
        =======
            message = "Hello, " + name + "!"
        >>>>>>> REPLACE
        """), tolerance: .trailingWhitespace),
        Shape(name: "unified diff with a/ b/, fenced", answer: "Here is the patch:\n\n```diff\n\(diffBody)\n```\n"),
        Shape(name: "unified diff with bare paths, fenced as patch", answer: """
        ```patch
        --- src/greet.py
        +++ src/greet.py
        @@ -1,4 +1,4 @@
         def greet(name):
        -    message = "Hello " + name
        +    message = "Hello, " + name + "!"
             print(message)

        ```
        """),
        Shape(name: "unified diff, git style, without a fence", answer: """
        diff --git a/src/greet.py b/src/greet.py
        index 3b18e51..a5c1966 100644
        \(diffBody)

        - Added the comma.
        """),
        Shape(name: "unified diff with stale line numbers", answer: """
        ```diff
        --- a/src/greet.py
        +++ b/src/greet.py
        @@ -40,3 +40,3 @@ def greet(name):
        -    message = "Hello " + name
        +    message = "Hello, " + name + "!"
             print(message)
        ```
        """),
        Shape(name: "unified diff with @@ ... @@ and no numbers", answer: """
        ```diff
        --- a/src/greet.py
        +++ b/src/greet.py
        @@ ... @@
        -    message = "Hello " + name
        +    message = "Hello, " + name + "!"
        ```
        """),
    ]

    static let negative: [Shape] = [
        Shape(name: "prose mentioning a path", answer: "The bug is in src/greet.py: the greeting has no comma.\nsrc/greet.py\nshould say Hello, not Hello.\n"),
        Shape(name: "a code example in an explanation, no path", answer: "For example:\n\n```python\nprint(greet(\"Ann\"))\n```\n"),
        Shape(name: "a shell command block", answer: "Run the tests:\n\n```sh\npython -m pytest tests/test_greet.py\n```\n"),
        Shape(name: "a shell block whose first line is a script", answer: "```bash\n./run_tests.sh\n```\n"),
        Shape(name: "a listing of paths", answer: "The files:\n```\nsrc/greet.py\nsrc/app.py\n```\n"),
        Shape(name: "a fence holding only a path", answer: "```\nsrc/greet.py\n```\n"),
        Shape(name: "a heading that is not a path", answer: "### Summary\n```python\nx = 1\n```\n"),
        Shape(name: "prose naming the file above a fence", answer: "Here is the updated `src/greet.py` file\n```python\nx = 1\n```\n"),
        Shape(name: "Markdown bullets that start with a dash", answer: "- Fixed the greeting\n- Added a test\n"),
        Shape(name: "a list item that is prose, above a fence", answer: "1. Run the tests:\n```sh\nmake test\n```\n"),
        Shape(name: "a colon label that is not a path", answer: "Example:\n```python\nx = 1\n```\n"),
    ]
}
