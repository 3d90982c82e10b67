import VCDCore
import VCDXML

/// Tasks lists and service tasks (§4).
enum TaskEndpoints {
    static func list(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let (org, tasks) = try domain { () throws(DomainError) in try c.store.tasks(in: c.param("id"), for: p) }
        return .ok(MediaType.tasksList, TaskDocument.tasksList(orgID: org.id, tasks: tasks, hrefs: c.hrefs))
    }

    /// Answers 200 with the stored task, as vCD 5.5 does (not 201).
    static func create(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let draft = try decode(c)
        let task = try domain { () throws(DomainError) in try c.store.createTask(in: c.param("id"), draft, by: p) }
        return .ok(MediaType.task, TaskDocument.task(task, hrefs: c.hrefs))
    }

    static func get(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let task = try domain { () throws(DomainError) in try c.store.task(c.param("id"), for: p) }
        return .ok(MediaType.task, TaskDocument.task(task, hrefs: c.hrefs))
    }

    static func update(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let draft = try decode(c)
        let task = try domain { () throws(DomainError) in try c.store.updateTask(c.param("id"), draft, by: p) }
        return .ok(MediaType.task, TaskDocument.task(task, hrefs: c.hrefs))
    }

    static func cancel(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        _ = try domain { () throws(DomainError) in try c.store.cancelTask(c.param("id"), by: p) }
        return .noContent
    }

    static func decode(_ c: Context) throws(APIError) -> TaskDraft {
        try c.decodeBody(TaskDocument.decode)
    }
}
