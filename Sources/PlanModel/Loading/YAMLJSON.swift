import Foundation
import Yams

/// A YAML value as compact JSON text, so an expected JSON document can be written as YAML in a plan.
enum YAMLJSON {
    /// Compact JSON with sorted keys, or nil for anything that is not data (an alias of a non-scalar is data).
    static func value(of node: Yams.Node) -> String? {
        guard let object = object(of: node),
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    private static func object(of node: Yams.Node) -> Any? {
        switch node {
        case .mapping(let mapping):
            var result: [String: Any] = [:]
            for (key, value) in mapping {
                guard let key = key.string, let value = object(of: value) else { return nil }
                result[key] = value
            }
            return result
        case .sequence(let sequence):
            var result: [Any] = []
            for item in sequence {
                guard let value = object(of: item) else { return nil }
                result.append(value)
            }
            return result
        case .scalar(let scalar):
            return scalarValue(scalar)
        case .alias:
            return nil
        }
    }

    /// Plain scalars follow YAML's core schema (null, booleans, numbers); quoted ones stay strings.
    private static func scalarValue(_ scalar: Yams.Node.Scalar) -> Any {
        guard scalar.style == .plain else { return scalar.string }
        switch scalar.string {
        case "null", "~", "": return NSNull()
        case "true": return true
        case "false": return false
        default: break
        }
        if let integer = Int(scalar.string) { return integer }
        if let double = Double(scalar.string), scalar.string.contains(".") { return double }
        return scalar.string
    }
}
