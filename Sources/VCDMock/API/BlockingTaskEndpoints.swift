import VCDCore
import VCDXML

/// Blocking tasks and their settings (vapps reference §9), system administrators only: others get 403
/// before their body is read.
enum BlockingTaskEndpoints {
    static func getSettings(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let s = try domain { () throws(DomainError) in try c.store.blockingTaskSettings(for: p) }
        return .ok(MediaType.blockingTaskSettings, BlockingTaskDocument.settings(s, hrefs: c.hrefs))
    }

    /// 200 with the stored settings; they apply to operations started from now on.
    static func putSettings(_ c: Context) throws(APIError) -> Reply {
        let p = try sysadmin(c)
        let new = try c.decodeBody(BlockingTaskDocument.decodeSettings)
        let s = try domain { () throws(DomainError) in try c.store.setBlockingTaskSettings(new, by: p) }
        return .ok(MediaType.blockingTaskSettings, BlockingTaskDocument.settings(s, hrefs: c.hrefs))
    }

    static func getOperations(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let s = try domain { () throws(DomainError) in try c.store.blockingTaskSettings(for: p) }
        return .ok(MediaType.taskOperationList, BlockingTaskDocument.operations(s.operations, hrefs: c.hrefs))
    }

    static func putOperations(_ c: Context) throws(APIError) -> Reply {
        let p = try sysadmin(c)
        let ops = try c.decodeBody(BlockingTaskDocument.decodeOperations)
        let s = try domain { () throws(DomainError) in
            var s = try c.store.blockingTaskSettings(for: p)
            s.operations = ops
            return try c.store.setBlockingTaskSettings(s, by: p)
        }
        return .ok(MediaType.taskOperationList, BlockingTaskDocument.operations(s.operations, hrefs: c.hrefs))
    }

    static func list(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let all = try domain { () throws(DomainError) in try c.store.blockingTasks(for: p) }
        return .ok(MediaType.blockingTaskList, BlockingTaskDocument.list(all, hrefs: c.hrefs))
    }

    static func get(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let b = try domain { () throws(DomainError) in try c.store.blockingTask(c.param("id"), for: p) }
        return .ok(MediaType.blockingTask, BlockingTaskDocument.blockingTask(b, hrefs: c.hrefs))
    }

    /// resume, abort, fail → 204; updateProgress → 200 with the blocking task (§9.7).
    static func action(_ c: Context) throws(APIError) -> Reply {
        let p = try sysadmin(c)
        let id = c.param("id"), name = c.param("action")
        if name == "updateProgress" {
            try contentType(c, MediaType.blockingTaskUpdateProgressParams)
            let body = try c.decodeBody(BlockingTaskDocument.decodeUpdateProgress)
            let b = try domain { () throws(DomainError) in
                try c.store.updateProgress(id, message: body.message, timeoutMillis: body.timeoutMillis, by: p)
            }
            return .ok(MediaType.blockingTask, BlockingTaskDocument.blockingTask(b, hrefs: c.hrefs))
        }
        guard let action = BlockingTaskAction(rawValue: name) else {
            throw .notFound("There is no blocking task action \"\(name)\"; use resume, abort, fail or updateProgress.")
        }
        try contentType(c, MediaType.blockingTaskOperationParams)
        let message = try c.decodeBody(BlockingTaskDocument.decodeOperationParams)
        try domain { () throws(DomainError) in try c.store.decide(id, action, message: message, by: p) }
        return .noContent
    }

    /// The route accepts both action bodies; each action takes only its own.
    static func contentType(_ c: Context, _ type: String) throws(APIError) {
        try Negotiation.checkContentType(c.request.header("Content-Type") ?? "", allowed: [type],
                                         method: c.request.method, path: c.request.path)
    }

    static func sysadmin(_ c: Context) throws(APIError) -> Principal {
        let p = try c.caller
        guard p.isSysadmin else {
            throw .forbidden("Only a system administrator may see or act on blocking tasks and their settings; log in to org System.")
        }
        return p
    }
}
