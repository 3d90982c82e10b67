import Testing
import VCDCore

/// Issue 14's memory budget: a vApp with 2 VMs costs no more than a few hundred bytes beyond its strings.
/// Counted from the layout: the vApp's inline fields, plus the VM array's heap block (a 32-byte header
/// and the elements inline). Strings of up to 15 UTF-8 bytes are inline too; longer ones (ids) are theirs.
@Suite struct VAppFootprintTests {
    @Test func aVAppWithTwoVMsStaysWithinAFewHundredBytesBeyondItsStrings() {
        let arrayHeader = 32
        let bytes = MemoryLayout<VApp>.stride + arrayHeader + 2 * MemoryLayout<VirtualMachine>.stride
        #expect(bytes <= 400, "VApp \(MemoryLayout<VApp>.stride) B + 2 VMs \(MemoryLayout<VirtualMachine>.stride) B each")
    }
}
