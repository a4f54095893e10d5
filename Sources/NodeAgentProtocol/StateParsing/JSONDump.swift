import Foundation

/// Decodes one `ip -j` dump (an array of objects; empty output counts as an empty array).
enum JSONDump {
    static func decode<T: Decodable>(_ type: T.Type, from text: String, query: String) throws(StateParsingError) -> [T]
    {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [] }
        do {
            return try JSONDecoder().decode([T].self, from: Data(trimmed.utf8))
        } catch {
            throw StateParsingError(query: query, message: "not the JSON `ip -j` prints: \(error)")
        }
    }
}
