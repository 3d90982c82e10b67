import VCDHTTP

extension Step {
    /// A request whose path (with its query) matches a registered, enabled extension service's API filter
    /// is published to that service over AMQP and answered when its reply arrives (§5.5); the connection
    /// is suspended meanwhile. The service's response is passed on as it sent it.
    static let forward = Step(name: "forward") { app, ex throws(APIError) in
        guard ex.group == .api else { return nil }
        guard let service = app.store.forwardingService(path: ex.request.path, query: ex.request.query) else { return nil }
        let request = ex.request
        ex.note = " (forwarded)"
        if request.bodyTooLarge {
            throw .tooLarge("The request body is larger than \(app.config.maxBodyBytes) bytes (see --max-body).")
        }
        let principal = try app.authenticate(request)
        ex.principal = principal
        return .later(Later { deliver in
            app.bridge.forward(request, to: service, as: principal) { result in
                switch result {
                case .success(let response): deliver(.reply(Reply(verbatim: response)))
                case .failure(let error): deliver(.failure(error))
                }
            }
        })
    }
}
