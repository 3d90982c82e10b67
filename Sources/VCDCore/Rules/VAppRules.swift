/// What a client asks a vApp or VM to do (reference §6.1), and the state machine that allows it (§6.2).
public enum VAppAction: Sendable, Equatable {
    public enum Undeploy: String, Sendable, CaseIterable { case powerOff, suspend, shutdown, force, `default` }

    case instantiate(deploy: Bool, powerOn: Bool)
    /// `composeVApp`: a vApp built from no template (§4.6); an empty one (`withVMs` false) ends RESOLVED.
    case compose(deploy: Bool, powerOn: Bool, withVMs: Bool)
    case powerOn, powerOff, reboot, reset, shutdown, suspend
    case deploy(powerOn: Bool)
    case undeploy(Undeploy)
    case delete

    /// The power actions by the last path segment of `…/power/action/{name}`.
    public static func power(_ name: String) -> VAppAction? {
        switch name {
        case "powerOn": .powerOn
        case "powerOff": .powerOff
        case "reboot": .reboot
        case "reset": .reset
        case "shutdown": .shutdown
        case "suspend": .suspend
        default: nil
        }
    }

    /// The task's `operationName` (also the last part of the notification routing key).
    public var operationName: String {
        switch self {
        case .instantiate: "vdcInstantiateVapp"
        case .compose: "vdcComposeVapp"
        case .powerOn, .deploy: "vappDeploy"  // vCD has no vappPowerOn (§6.1)
        case .powerOff: "vappPowerOff"
        case .reboot: "vappRebootGuest"
        case .reset: "vappReset"
        case .shutdown: "vappShutdownGuest"
        case .suspend: "vappSuspend"
        case .undeploy(let a): a == .suspend ? "vappUndeploySuspend" : "vappUndeployPowerOff"
        case .delete: "vdcDeleteVapp"
        }
    }

    /// Every operation name, for the control API's table of durations.
    public static let operationNames = ["vdcInstantiateVapp", "vappDeploy", "vappPowerOff", "vappRebootGuest", "vappReset",
                                        "vappShutdownGuest", "vappSuspend", "vappUndeployPowerOff", "vappUndeploySuspend",
                                        "vdcDeleteVapp", "vdcComposeVapp"]

    /// The task's `operation` text, as real cells print it.
    public func operation(_ kind: String, _ name: String, _ id: String) -> String {
        let verb = switch self {
        case .instantiate, .compose: "Creating"
        case .powerOn, .deploy: "Starting"
        case .powerOff: "Powering Off"
        case .reboot: "Rebooting"
        case .reset: "Resetting"
        case .shutdown: "Shutting down"
        case .suspend: "Suspending"
        case .undeploy: "Stopping"
        case .delete: "Deleting"
        }
        return "\(verb) \(kind) \(name)(\(id))"
    }

    /// Instantiate and compose create their vApp: if they fail or are canceled, it is left FAILED_CREATION.
    public var creates: Bool {
        switch self {
        case .instantiate, .compose: true
        default: false
        }
    }

    /// The link `rel` a representation offers for this action.
    public var rel: String {
        switch self {
        case .instantiate, .compose: "add"
        case .powerOn: "power:powerOn"
        case .powerOff: "power:powerOff"
        case .reboot: "power:reboot"
        case .reset: "power:reset"
        case .shutdown: "power:shutdown"
        case .suspend: "power:suspend"
        case .deploy: "deploy"
        case .undeploy: "undeploy"
        case .delete: "remove"
        }
    }
}

public enum VAppRules {
    /// Why `action` is refused for an entity in (status, deployed), or nil when it is legal (§6.2, §6.4).
    public static func refusal(_ action: VAppAction, kind: String, name: String, status: VAppStatus,
                               deployed: Bool) -> String? {
        let notRunning = "The requested operation could not be executed since \(kind) \"\(name)\" is not running."
        let hasVMs = status != .resolved && status != .failedCreation && status != .unresolved
        switch action {
        case .instantiate, .compose: return nil
        case .delete:
            if deployed { return "The requested operation could not be executed on \(kind) \"\(name)\". Stop the \(kind) and try again." }
            return nil
        case .powerOn:
            guard hasVMs else { return notRunning }
            return status == .poweredOn ? "The requested operation could not be executed since \(kind) \"\(name)\" is not powered off." : nil
        case .powerOff, .shutdown, .reboot, .reset, .suspend:
            return status == .poweredOn ? nil : "The requested operation could not be executed since \(kind) \"\(name)\" is not powered on."
        case .deploy:
            return hasVMs ? nil : notRunning
        case .undeploy:
            return deployed && hasVMs ? nil : notRunning
        }
    }

    /// A VM's state once the action has succeeded.
    public static func apply(_ action: VAppAction, to vm: inout VirtualMachine) {
        switch action {
        case .instantiate(let deploy, let powerOn), .compose(let deploy, let powerOn, _):
            vm.status = powerOn ? .poweredOn : .poweredOff
            vm.deployed = deploy || powerOn
        case .powerOn: (vm.status, vm.deployed) = (.poweredOn, true)
        case .deploy(let powerOn):
            vm.deployed = true
            if powerOn { vm.status = .poweredOn }
        case .powerOff, .shutdown: vm.status = .poweredOff
        case .reboot, .reset: vm.status = .poweredOn
        case .suspend: vm.status = .suspended
        case .undeploy(let a):
            vm.deployed = false
            vm.status = a == .suspend ? .suspended : .poweredOff
        case .delete: break
        }
    }

    /// The actions whose links a vApp or VM in this state shows (none while busy) (§5.3).
    public static func legalActions(status: VAppStatus, deployed: Bool) -> [VAppAction] {
        let all: [VAppAction] = [.powerOn, .powerOff, .reboot, .reset, .shutdown, .suspend, .deploy(powerOn: true),
                                 .undeploy(.powerOff), .delete]
        return all.filter { refusal($0, kind: "", name: "", status: status, deployed: deployed) == nil }
    }
}
