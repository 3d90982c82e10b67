import VCDHTTP

extension ServeCommand {
    /// The connection and request-head limits (README "Limits and hardening").
    func applyLimits(_ config: inout HTTPServerConfig, _ env: [String: String]) throws {
        config.maxConnections = try Parse.number(options.maxConnections, env, "VCD_MOCK_MAX_CONNECTIONS", 4096, min: 1)
        config.maxConnectionsPerIP = try Parse.number(options.maxConnectionsPerIp, env, "VCD_MOCK_MAX_CONNECTIONS_PER_IP", 256, min: 1)
        config.headerTimeoutSeconds = try Parse.number(options.headerTimeout, env, "VCD_MOCK_HEADER_TIMEOUT", 10, min: 1)
        config.connectionTimeoutSeconds = try Parse.number(options.idleTimeout, env, "VCD_MOCK_IDLE_TIMEOUT", 15, min: 1)
        config.minBodyBytesPerSecond = try Parse.number(options.minBodyRate, env, "VCD_MOCK_MIN_BODY_RATE", 64 << 10, min: 1)
        config.maxHeaderBytes = try Parse.number(options.maxHeaderBytes, env, "VCD_MOCK_MAX_HEADER_BYTES", 8 << 10, min: 1024)
        config.maxURLBytes = try Parse.number(options.maxUrlBytes, env, "VCD_MOCK_MAX_URL_BYTES", 8 << 10, min: 256)
        config.holdMilliseconds = try Parse.number(options.holdTime, env, "VCD_MOCK_HOLD_TIME", 2000, min: 1)
        config.maxHeldConnections = try Parse.number(options.maxHeldConnections, env, "VCD_MOCK_MAX_HELD_CONNECTIONS",
                                                     config.heldConnections, min: 0)
    }
}
