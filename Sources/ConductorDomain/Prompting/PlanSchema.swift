/// The JSON Schema of a plan answer: what ``PlanRules`` requires, said so that a server that
/// constrains decoding to a schema cannot produce a plan the rules refuse for its shape. At
/// least one step and at most `maxSteps`; each step a description and at most
/// `maxFilesPerStep` repository-relative paths; nothing else.
///
/// The path pattern forbids what every repository forbids (``PathPolicy``): a leading `/`,
/// empty, `.` and `..` segments, backslashes and the characters not portable to every file
/// system. It uses only what constrained decoders understand (character classes, groups,
/// alternation, `*`, `+`; no lookahead), so llama.cpp's grammar converter takes it as well
/// as OpenAI's strict mode. Protected paths and `.git` are left to ``PlanRules``: a schema
/// that spelled them out would be long and differ per repository.
///
/// Every property is required and `additionalProperties` is false, as OpenAI's strict mode
/// demands.
public enum PlanSchema {
    public static let name = "plan"

    /// One path segment: not `.` or `..`, without `/`, `\` or `<>:"|?*`.
    static let segment = #"([^./\\<>:"|?*][^/\\<>:"|?*]*|\.[^./\\<>:"|?*][^/\\<>:"|?*]*|\.\.[^/\\<>:"|?*]+)"#

    /// A repository-relative path: segments joined by single `/`.
    public static let pathPattern = "^" + segment + "(/" + segment + ")*$"

    public static func schema(for rules: PlanRules) -> JSONSchema {
        let step: JSONValue = [
            "type": "object",
            "properties": [
                "description": ["type": "string", "description": "One step of the change."],
                "files": [
                    "type": "array",
                    "items": ["type": "string", "pattern": .string(pathPattern)],
                    "maxItems": .number(Double(rules.maxFilesPerStep)),
                    "description": "Repository-relative paths the step touches.",
                ],
            ],
            "required": ["description", "files"],
            "additionalProperties": false,
        ]
        let plan: JSONValue = [
            "type": "object",
            "properties": [
                "spec": ["type": "string", "description": "What the finished change does, in a few sentences."],
                "steps": ["type": "array", "items": step, "minItems": 1, "maxItems": .number(Double(rules.maxSteps))],
            ],
            "required": ["spec", "steps"],
            "additionalProperties": false,
        ]
        return JSONSchema(name: name, description: "The spec and step-by-step plan of the change.", schema: plan)
    }
}
