import ConductorDomain
import Foundation

/// Reads the plan out of a model's answer: the JSON object in a ```json fence, or else the
/// text from the first `{` to the last `}`. Errors say what is wrong in words the model can
/// act on, because they go back to it for a corrected plan.
enum PlanParser {
    static func parse(_ answer: String) -> Result<Plan, PlanProblem> {
        guard let json = extractJSON(from: answer) else {
            return .failure(PlanProblem("the answer holds no JSON object"))
        }
        do {
            return .success(try JSONDecoder().decode(Plan.self, from: Data(json.utf8)))
        } catch let DecodingError.keyNotFound(key, context) {
            return .failure(PlanProblem("\(path(context.codingPath + [key])) is missing"))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            return .failure(PlanProblem("\(path(context.codingPath)) has the wrong type: \(context.debugDescription)"))
        } catch {
            return .failure(PlanProblem("the JSON is not valid: \(error.localizedDescription)"))
        }
    }

    static func extractJSON(from answer: String) -> String? {
        if let fence = answer.firstRange(of: "```json"),
           let end = answer[fence.upperBound...].firstRange(of: "```") {
            return String(answer[fence.upperBound..<end.lowerBound])
        }
        guard let open = answer.firstIndex(of: "{"), let close = answer.lastIndex(of: "}"), open < close else { return nil }
        return String(answer[open...close])
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
    }
}

/// Why a proposed plan was refused.
struct PlanProblem: Error, Equatable {
    let message: String

    init(_ message: String) {
        self.message = message
    }
}
