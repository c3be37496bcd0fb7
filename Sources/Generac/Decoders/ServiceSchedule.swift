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

/// The per-variant service counters (section 3.3 "Service counters", 7.11 order).
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
                return [item(.serviceA, "Service A Due", hours: 0x001A, date: nil),
                        item(.serviceB, "Service B Due", hours: 0x001E, date: nil)]
            }
            var items = [item(.serviceA, "Service A Due", hours: 0x001A, date: 0x001B),
                         item(.serviceB, "Service B Due", hours: 0x001E, date: 0x001F)]
            if identity.isAirCooled {
                items.append(item(.batteryCheck, "Battery Check Due", hours: nil, date: 0x0022))
            }
            return items
        }
        if identity.isLiquidCooled {
            return [item(.airFilter, "Air Filter Service Due", hours: 0x001C, date: 0x001D),
                    item(.oilAndFilter, "Oil Change and Filter Due", hours: 0x001A, date: 0x001B),
                    item(.sparkPlugs, "Spark Plug Change Due", hours: 0x001E, date: 0x001F)]
        }
        return [item(.airFilter, "Air Filter Service Due", hours: 0x001C, date: 0x0022),
                item(.oilAndFilter, "Oil and Oil Filter Service Due", hours: 0x001E, date: 0x0020),
                item(.sparkPlugs, "Spark Plug Service Due", hours: 0x001A, date: 0x001B),
                item(.battery, "Battery Service Due", hours: 0x001F, date: 0x001D)]
    }

    /// The hours-until-service registers upstream checks for "service due" (section 7.2).
    /// NexusAC includes `0021` ("other", never displayed).
    public static func dueCheckRegisters(for identity: ControllerIdentity) -> [RegisterAddress] {
        if identity.isEvolution { return [0x001A, 0x001E] }
        if identity.isLiquidCooled { return [0x001A, 0x001E, 0x001C] }
        return [0x001A, 0x001E, 0x001C, 0x001F, 0x0021]
    }

    /// True when any of those registers is ≤ 1 hour.
    public static func hoursDue(image: RegisterImage, identity: ControllerIdentity) -> Bool {
        dueCheckRegisters(for: identity).contains { image[$0] <= 1 }
    }
}
