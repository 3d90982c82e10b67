import VCDHTTP

/// The control API for tests (`/mock`, JSON). Access (loopback, `--control-token` or a system
/// administrator) is checked once for the whole group by the pipeline's `controlAccess` step, and every
/// error is JSON `{"error", "minorErrorCode"}` (see `App.render`).
enum ControlRoutes {
    static func add(to r: inout Router<Endpoint>) {
        r.add("GET", "/mock/amqp", name: "ControlStatus.amqp", .control(ControlStatus.amqp))
        r.add("GET", "/mock/events", name: "ControlStatus.events", .control(ControlStatus.events))
        r.add("GET", "/mock/extensions", name: "ControlStatus.extensions", .control(ControlStatus.extensions))
        r.add("GET", "/mock/health", name: "ControlStatus.health", .control(ControlStatus.health))
        r.add("GET", "/mock/about", name: "ControlStatus.about", .control(ControlStatus.about))
        r.add("GET", "/mock/requests", name: "ControlStatus.requests", .control(ControlStatus.requests))
        r.add("DELETE", "/mock/requests", name: "ControlStatus.clearRequests", .control(ControlStatus.clearRequests))
        r.add("GET", "/mock/openapi.yaml", name: "ControlStatus.openAPI", .control(ControlStatus.openAPI))
        r.add("GET", "/mock/messages", name: "ControlStatus.messages", .control(ControlStatus.messages))
        r.add("DELETE", "/mock/messages", name: "ControlStatus.clearMessages", .control(ControlStatus.clearMessages))
        r.add("GET", "/mock/wait", name: "ControlWait.wait", .control(later: ControlWait.wait))
        r.add("GET", "/mock/clock", name: "ControlClock.get", .control(ControlClock.get))
        r.add("POST", "/mock/clock", name: "ControlClock.post", .control(ControlClock.post))
        r.add("POST", "/mock/reset", name: "ControlState.reset", .control(ControlState.reset))
        r.add("POST", "/mock/orgs/{name}/reset", name: "ControlState.resetOrg", .control(ControlState.resetOrg))
        r.add("GET", "/mock/state", name: "ControlState.get", .control(ControlState.get))
        r.add("PUT", "/mock/state", name: "ControlState.put", .control(ControlState.put))
        r.add("POST", "/mock/fixtures", name: "ControlState.addFixtures", .control(ControlState.addFixtures))
        r.add("GET", "/mock/operations", name: "ControlOperations.list", .control(ControlOperations.list))
        r.add("PUT", "/mock/operations/{operationName}", name: "ControlOperations.put", .control(ControlOperations.put))
        r.add("DELETE", "/mock/operations/{operationName}", name: "ControlOperations.delete", .control(ControlOperations.delete))
        r.add("GET", "/mock/faults", name: "ControlFaults.list", .control(ControlFaults.list))
        r.add("POST", "/mock/faults", name: "ControlFaults.add", .control(ControlFaults.add))
        r.add("DELETE", "/mock/faults", name: "ControlFaults.clear", .control(ControlFaults.clear))
        r.add("DELETE", "/mock/faults/{id}", name: "ControlFaults.delete", .control(ControlFaults.delete))
    }
}
