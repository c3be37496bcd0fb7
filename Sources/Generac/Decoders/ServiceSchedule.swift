import Foundation

/// One maintenance counter as the controller keeps it: hours until due and/or a due date.
public struct ServiceItem: Sendable, Equatable, Hashable {
    public enum Kind: String, Sendable, Equatable, Hashable, CaseIterable {
        case serviceA, serviceB, batteryCheck, airFilter, oilAndFilter, sparkPlugs, battery
    }

    public let kind: Kind
    /// Upstream's report key, e.g. "Service A Due", "Oil Change and Filter Due".
    public let label: String
    public let hoursRegister: RegisterAddress?
    public let dateRegister: RegisterAddress?
    /// Hours until due (nil when this variant shows no hours for it).
    public let hoursUntilDue: Int?
    /// Due date (nil when this variant shows no date for it).
    public let dueDate: CalendarDate?

    /// Upstream's value text: `199 hrs or 10/14/2019 ` (trailing space), date only `01/02/1970 `,
    /// hours only `199 hrs` (PowerPact; that exact form is not confirmed by an upstream answer).
    public func text(alternateDateFormat: Bool = false) -> String {
        switch (hoursUntilDue, dueDate) {
        case let (hours?, date?): "\(hours) hrs or " + date.text(alternateDateFormat: alternateDateFormat) + " "
        case let (nil, date?): date.text(alternateDateFormat: alternateDateFormat) + " "
        case let (hours?, nil): "\(hours) hrs"
        case (nil, nil): ""
        }
    }
}

/// The per-variant service counters in report order (docs/registers.md#service-schedule).
public enum ServiceSchedule {
    /// Items in report order.
    public static func items(image: RegisterImage, identity: ControllerIdentity, timeZone: TimeZone) -> [ServiceItem] {
        let addOneDay = !identity.isEvolution2
        func item(_ kind: ServiceItem.Kind, _ label: String, hours: RegisterAddress?, date: RegisterAddress?) -> ServiceItem {
            ServiceItem(
                kind: kind, label: label, hoursRegister: hours, dateRegister: date,
                hoursUntilDue: hours.map { Int(image[$0]) },
                dueDate: date.map { CalendarDate.serviceDueDate(days: image[$0], addOneDay: addOneDay, timeZone: timeZone) }
            )
        }
        if identity.isEvolution {
            if identity.isPowerPact {
                return [item(.serviceA, "Service A Due", hours: Register.evolutionServiceAHours, date: nil),
                        item(.serviceB, "Service B Due", hours: Register.evolutionServiceBHours, date: nil)]
            }
            var items = [item(.serviceA, "Service A Due", hours: Register.evolutionServiceAHours, date: Register.evolutionServiceADueDate),
                         item(.serviceB, "Service B Due", hours: Register.evolutionServiceBHours, date: Register.evolutionServiceBDueDate)]
            if identity.isAirCooled {
                items.append(item(.batteryCheck, "Battery Check Due", hours: nil, date: Register.evolutionBatteryCheckDueDate))
            }
            return items
        }
        if identity.isLiquidCooled {
            return [item(.airFilter, "Air Filter Service Due", hours: Register.nexusAirFilterHours, date: Register.nexusLCAirFilterDueDate),
                    item(.oilAndFilter, "Oil Change and Filter Due", hours: Register.nexusLCOilHours, date: Register.nexusLCOilDueDate),
                    item(.sparkPlugs, "Spark Plug Change Due", hours: Register.nexusLCSparkPlugHours, date: Register.nexusLCSparkPlugDueDate)]
        }
        return [item(.airFilter, "Air Filter Service Due", hours: Register.nexusAirFilterHours, date: Register.nexusACAirFilterDueDate),
                item(.oilAndFilter, "Oil and Oil Filter Service Due", hours: Register.nexusACOilHours, date: Register.nexusACOilDueDate),
                item(.sparkPlugs, "Spark Plug Service Due", hours: Register.nexusACSparkPlugHours, date: Register.nexusACSparkPlugDueDate),
                item(.battery, "Battery Service Due", hours: Register.nexusACBatteryHours, date: Register.nexusACBatteryDueDate)]
    }

    /// The hours-until-service registers upstream checks for "service due" (docs/registers.md#service-schedule).
    /// NexusAC includes `0021` ("other", never displayed).
    public static func dueCheckRegisters(for identity: ControllerIdentity) -> [RegisterAddress] {
        if identity.isEvolution { return [Register.evolutionServiceAHours, Register.evolutionServiceBHours] }
        if identity.isLiquidCooled { return [Register.nexusLCOilHours, Register.nexusLCSparkPlugHours, Register.nexusAirFilterHours] }
        return [Register.nexusACSparkPlugHours, Register.nexusACOilHours, Register.nexusAirFilterHours,
                Register.nexusACBatteryHours, Register.nexusACOtherServiceHours]
    }

    /// Every address that holds an hours-until-service counter on some family, in address order
    /// (what a reset of the maintenance periods reloads).
    public static let allHoursRegisters: [RegisterAddress] = [
        Register.evolutionServiceAHours, Register.nexusAirFilterHours, Register.evolutionServiceBHours,
        Register.nexusACBatteryHours, Register.nexusACOtherServiceHours,
    ]

    /// True when any of those registers is ≤ 1 hour.
    public static func hoursDue(image: RegisterImage, identity: ControllerIdentity) -> Bool {
        dueCheckRegisters(for: identity).contains { image[$0] <= 1 }
    }
}
