/// Why an operation was refused; the application maps each case to an HTTP status and vCD minor code.
public enum DomainError: Error, Sendable, Equatable {
    case badRequest(String)
    case unauthorized(String)
    case forbidden(String)
    case notFound(String)
    case conflict(String)
    /// 400 with vCD's minorErrorCode DUPLICATE_NAME.
    case duplicateName(String)

    public var message: String {
        switch self {
        case .badRequest(let m), .unauthorized(let m), .forbidden(let m), .notFound(let m), .conflict(let m),
             .duplicateName(let m): m
        }
    }

    /// vCD's answer for an unknown or foreign entity id: 403, not 404.
    public static func noAccess(_ kind: String, _ id: String) -> DomainError {
        .forbidden("No access to entity \"com.vmware.vcloud.entity.\(kind):\(id)\".")
    }
}
