import Foundation

/// Answers in the providers' public wire formats, shaped like the examples of their API
/// references, for ``TestHTTPServer`` to send. Text is JSON-escaped, so any answer fits.
public enum ProviderWireFixtures {
    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed, .withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }

    /// OpenAI Chat Completions (and the compatible servers, and Azure OpenAI).
    public enum OpenAI {
        public static func usage(_ input: Int, _ output: Int, cached: Int? = nil, reasoning: Int? = nil) -> String {
            let details = cached.map { #", "prompt_tokens_details": {"cached_tokens": \#($0), "audio_tokens": 0}"# } ?? ""
            let completion = reasoning.map {
                #", "completion_tokens_details": {"reasoning_tokens": \#($0), "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}"#
            } ?? ""
            return #"{"prompt_tokens": \#(input), "completion_tokens": \#(output), "total_tokens": \#(input + output)\#(details)\#(completion)}"#
        }

        /// A `chat.completion`; `usage: nil` leaves the field out, as some servers do.
        public static func completion(_ text: String, model: String = "gpt-4o-2024-08-06", usage: String? = usage(19, 10), finishReason: String = "stop") -> String {
            """
            {"id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "object": "chat.completion", "created": 1741569952, "model": "\(model)",
             "choices": [{"index": 0, "message": {"role": "assistant", "content": \(quoted(text)), "refusal": null, "annotations": []}, "logprobs": null, "finish_reason": "\(finishReason)"}]\(usage.map { ",\n \"usage\": \($0)" } ?? ""),
             "service_tier": "default", "system_fingerprint": "fp_fc9f1d7035"}
            """
        }

        /// Server-sent events of a stream: a role chunk, one chunk per piece, a finish chunk,
        /// the usage chunk when `usage` is given (as with `include_usage`), and `[DONE]`.
        public static func streamEvents(_ pieces: [String], model: String = "gpt-4o-mini", usage: String? = usage(9, 2), done: Bool = true, finishReason: String = "stop") -> [String] {
            func chunk(_ choices: String, usage: String = "null") -> String {
                #"data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"\#(model)","system_fingerprint":"fp_44709d6fcb","choices":\#(choices),"usage":\#(usage)}"# + "\n\n"
            }
            var events = [chunk(#"[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]"#)]
            events += pieces.map { chunk(#"[{"index":0,"delta":{"content":\#(quoted($0))},"logprobs":null,"finish_reason":null}]"#) }
            events.append(chunk(#"[{"index":0,"delta":{},"logprobs":null,"finish_reason":"\#(finishReason)"}]"#))
            if let usage { events.append(chunk("[]", usage: usage)) }
            if done { events.append("data: [DONE]\n\n") }
            return events
        }

        public static func error(_ message: String, type: String = "invalid_request_error", code: String? = nil) -> String {
            #"{"error": {"message": \#(quoted(message)), "type": "\#(type)", "param": null, "code": \#(code.map(quoted) ?? "null")}}"#
        }
    }

    /// Anthropic Messages.
    public enum Anthropic {
        public static func usage(_ input: Int, _ output: Int, cacheRead: Int = 0, cacheCreation: Int = 0) -> String {
            #"{"input_tokens": \#(input), "cache_creation_input_tokens": \#(cacheCreation), "cache_read_input_tokens": \#(cacheRead), "output_tokens": \#(output)}"#
        }

        public static func message(_ text: String, model: String = "claude-sonnet-4-5-20250929", usage: String = usage(2095, 503), stopReason: String = "end_turn") -> String {
            """
            {"id": "msg_013Zva2CMHLNnXjNJJKqJ2EF", "type": "message", "role": "assistant", "model": "\(model)",
             "content": [{"type": "text", "text": \(quoted(text))}],
             "stop_reason": "\(stopReason)", "stop_sequence": null, "usage": \(usage)}
            """
        }

        /// A forced tool call's answer: one `tool_use` block whose input is `input` (JSON).
        public static func toolUse(name: String = "plan", input: String, usage: String = usage(2095, 503), stopReason: String = "tool_use") -> String {
            """
            {"id": "msg_01Aq9w938a90dw8q", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5-20250929",
             "content": [{"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "\(name)", "input": \(input)}],
             "stop_reason": "\(stopReason)", "stop_sequence": null, "usage": \(usage)}
            """
        }

        /// A streamed tool call: the input JSON in `input_json_delta` pieces.
        public static func toolStreamEvents(name: String = "plan", partials: [String], stopReason: String = "tool_use") -> [String] {
            func event(_ name: String, _ data: String) -> String { "event: \(name)\ndata: \(data)\n\n" }
            var events = [
                event("message_start", #"{"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}"#),
                event("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"\#(name)","input":{}}}"#),
            ]
            events += partials.map { event("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":\#(quoted($0))}}"#) }
            events.append(event("content_block_stop", #"{"type":"content_block_stop","index":0}"#))
            events.append(event("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"\#(stopReason)","stop_sequence":null},"usage":{"output_tokens":89}}"#))
            events.append(event("message_stop", #"{"type":"message_stop"}"#))
            return events
        }

        /// The events of a stream, each `event:` + `data:` + blank line.
        public static func streamEvents(_ pieces: [String], model: String = "claude-sonnet-4-5-20250929", inputTokens: Int = 25, cacheRead: Int = 0, outputTokens: Int = 15, stop: Bool = true, stopReason: String = "end_turn") -> [String] {
            func event(_ name: String, _ data: String) -> String { "event: \(name)\ndata: \(data)\n\n" }
            var events = [
                event("message_start", #"{"type":"message_start","message":{"id":"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY","type":"message","role":"assistant","content":[],"model":"\#(model)","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":\#(inputTokens),"cache_creation_input_tokens":0,"cache_read_input_tokens":\#(cacheRead),"output_tokens":1}}}"#),
                event("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
                event("ping", #"{"type": "ping"}"#),
            ]
            events += pieces.map { event("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":\#(quoted($0))}}"#) }
            guard stop else { return events }
            events.append(event("content_block_stop", #"{"type":"content_block_stop","index":0}"#))
            events.append(event("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"\#(stopReason)","stop_sequence":null},"usage":{"output_tokens":\#(outputTokens)}}"#))
            events.append(event("message_stop", #"{"type":"message_stop"}"#))
            return events
        }

        public static func error(_ type: String, _ message: String) -> String {
            #"{"type": "error", "error": {"type": "\#(type)", "message": \#(quoted(message))}}"#
        }

        public static func errorEvent(_ type: String, _ message: String) -> String {
            "event: error\ndata: \(error(type, message))\n\n"
        }
    }

    /// Ollama's native chat API.
    public enum Ollama {
        public static func chat(_ text: String, model: String = "llama3.2", promptEvalCount: Int? = 26, evalCount: Int = 298, doneReason: String = "stop") -> String {
            let prompt = promptEvalCount.map { #","prompt_eval_count":\#($0),"prompt_eval_duration":383809000"# } ?? ""
            return #"{"model":"\#(model)","created_at":"2023-12-12T14:13:43.416799Z","message":{"role":"assistant","content":\#(quoted(text))},"done":true,"done_reason":"\#(doneReason)","total_duration":5191566416,"load_duration":2154458\#(prompt),"eval_count":\#(evalCount),"eval_duration":4799921000}"#
        }

        /// The lines of a stream: one per piece, then the `done` line with the counts.
        public static func streamLines(_ pieces: [String], model: String = "llama3.2", promptEvalCount: Int? = 26, evalCount: Int = 113, done: Bool = true, doneReason: String = "stop") -> [String] {
            var lines = pieces.map { #"{"model":"\#(model)","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":\#(quoted($0))},"done":false}"# }
            if done {
                let prompt = promptEvalCount.map { #","prompt_eval_count":\#($0),"prompt_eval_duration":1325948000"# } ?? ""
                lines.append(#"{"model":"\#(model)","created_at":"2023-08-04T19:22:45.499127Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"\#(doneReason)","total_duration":4883583458,"load_duration":1334875\#(prompt),"eval_count":\#(evalCount),"eval_duration":4550000000}"#)
            }
            return lines
        }

        public static func error(_ message: String) -> String {
            #"{"error": \#(quoted(message))}"#
        }
    }
}
