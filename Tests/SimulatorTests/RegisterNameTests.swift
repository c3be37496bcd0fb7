import Foundation
import Generac
import ModbusTransport
@testable import Simulator
import Testing

/// The simulator acts on the same named registers the decoders read.
@Suite("Register names in the simulator")
struct RegisterNameTests {
    @Test("The unlock register the client writes is the one the simulator accepts")
    func unlockRegisterAgrees() throws {
        #expect(Evolution2Unlock.register == Register.evolution2Unlock)
        #expect(Register.evolution2UnlockBlock.count == 17)
        let frames = try Evolution2Unlock.frames(for: .readHoldingRegisters(address: 1, count: 2), slave: 0x9D)
        var model = GeneratorModel(profile: .standard(.evolutionAirCooled, start: Date(timeIntervalSince1970: 0)),
                                   start: Date(timeIntervalSince1970: 0), timeZone: .gmt)
        let before = model.image
        for case let .writeMultipleRegisters(address, values) in frames {
            #expect(Register.evolution2UnlockBlock.contains(address))
            #expect(Register.evolution2UnlockBlock.contains(address + UInt16(values.count - 1)))
            #expect(model.write(address: address, values: values) == .accepted)
        }
        #expect(model.image == before)
    }

    @Test("Each family's service hours are the registers the decoders read as its service counters",
          arguments: ControllerProfile.Family.allCases)
    func serviceHoursAgree(family: ControllerProfile.Family) {
        let identity = ControllerIdentity(variant: family.variant)
        #expect(Set(GeneratorModel.serviceHourRegisters(family)) == Set(ServiceSchedule.dueCheckRegisters(for: identity)))
        let image = GeneratorModel(profile: .standard(family, start: Date(timeIntervalSince1970: 86_400 * 20_000)),
                                   start: Date(timeIntervalSince1970: 86_400 * 20_000), timeZone: .gmt).image
        // Every counter the report shows for this family is one the profile fills.
        for item in ServiceSchedule.items(image: image, identity: identity, timeZone: .gmt) {
            for address in [item.hoursRegister, item.dateRegister].compactMap({ $0 }) {
                #expect(image.contains(address), "\(family) \(item.label) \(Hex.word(address))")
            }
        }
    }
}
