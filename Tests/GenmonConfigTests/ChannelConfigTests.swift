import Foundation
import GenmonConfig
import Testing

/// The original's add-on files (gensms.conf, genpushover.conf, genslack.conf) read unchanged,
/// genloader.conf's switches honoured, genmon's own sections, and every bad value reported with
/// file, line and key.
@Suite("Channel configuration")
struct ChannelConfigTests {
    static func folder(_ files: [String: String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-channels-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var all = files
        if all["genmon.conf"] == nil { all["genmon.conf"] = "[GenMon]\nsitename = Cabin\n" }
        for (name, text) in all { try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
        return directory
    }

    static let gensms = """
        [gensms]
        # the original's keys, as its web page writes them
        accountsid = AC0123456789abcdef0123456789abcdef
        authtoken = token
        to_number = +1 (555) 123-0001, +15551230002
        from_number = +15005550006
        max_retry_time = 600
        default_wait = 120
        notify_outage = True
        notify_error = True
        notify_warning = False
        notify_info = False
        notify_sw_update = True
        notify_pi_state = True
        """

    static let genpushover = """
        [genpushover]
        appid = azGDORePK8gMaC0QOYAMyEEuzJnyUi
        userid = uQiRzpo4DXghDmr9QzzfQu27cmVRsG
        extra_userid = gznej3rKEVAvPUxu9vvNnqpmZpokzF
        extra_notify_outage = True
        extra_notify_error = False
        extra_notify_warn = False
        extra_notify_info = False
        pushsound = siren
        alarm_priority = EMERGENCY
        run_state_priority = LOW
        outage_priority = HIGH
        """

    static let genslack = """
        [genslack]
        webhook_url = https://hooks.slack.com/services/T000/B000/XXXX
        channel = #generator
        username = GenMon
        icon_emoji = :red_circle:
        title_link = http://genmon.local:8000
        """

    @Test("the original's three files, with no genloader.conf: each is on when its file exists, every key read")
    func originalFiles() throws {
        let folder = try Self.folder(["gensms.conf": Self.gensms, "genpushover.conf": Self.genpushover, "genslack.conf": Self.genslack])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (config, problems) = ChannelConfiguration.load(configPath: folder + "/genmon.conf", userURL: nil)
        #expect(problems.isEmpty, "\(problems)")
        let sms = try #require(config.sms)
        #expect(sms.recipients == ["+15551230001", "+15551230002"] && sms.from == "+15005550006")
        #expect(sms.common.filters == [.outage, .error, .softwareUpdate, .piState])
        #expect(sms.common.pacing == TwilioSettings.defaultPacing && sms.address.description == "https://api.twilio.com")
        let pushover = try #require(config.pushover)
        #expect(pushover.extraUsers == ["gznej3rKEVAvPUxu9vvNnqpmZpokzF"] && pushover.extraFilters == [.outage, .softwareUpdate, .piState])
        #expect(pushover.priorities == [.alarm: 2, .runState: -1, .outage: 1] && pushover.sound == "siren")
        let slack = try #require(config.slack)
        #expect(slack.channel == "#generator" && slack.titleLink == "http://genmon.local:8000" && slack.endpoint == "https://hooks.slack.com/services/T000/B000/XXXX")
        #expect(config.ntfy == nil && config.syslog == nil)
    }

    @Test("genloader.conf switches: enable = False turns a present file off (said why); gensyslog enable = True turns syslog on")
    func genloaderSwitches() throws {
        let folder = try Self.folder([
            "gensms.conf": Self.gensms, "genslack.conf": Self.genslack,
            "genloader.conf": "[genmon]\nenable = True\n[gensms]\nenable = False\n[genslack]\nenable = True\n[gensyslog]\nenable = True\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (config, _) = ChannelConfiguration.load(configPath: folder + "/genmon.conf", userURL: nil)
        #expect(config.sms == nil && config.off["sms"]?.contains("genloader.conf") == true)
        #expect(config.slack != nil && config.syslog == SyslogSettings())
    }

    @Test("genmon's own sections: ntfy, discord, telegram, webhook, syslog with base_url, pacing and filters")
    func ownSections() throws {
        let folder = try Self.folder(["genmon.conf": """
            [GenMon]
            sitename = Cabin
            [ntfy]
            base_url = https://ntfy.example.org:8443/push
            topic = cabin-generator
            token = tk_abc
            priority_outage = max
            tags_info = house
            minimum_interval = 5
            daily_limit = 0
            [discord]
            webhook_url = https://discord.com/api/webhooks/1/abc
            notify_info = False
            [telegram]
            bot_token = 123456:ABC-DEF
            chat_id = 424242, @cabin_channel
            [webhook]
            url = http://nodered.local:1880/genmon
            secret = 0123456789abcdef
            [syslog]
            facility = local3
            """])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (config, problems) = ChannelConfiguration.load(configPath: folder + "/genmon.conf", userURL: "http://genmon.local")
        #expect(problems.isEmpty, "\(problems)")
        let ntfy = try #require(config.ntfy)
        #expect(ntfy.address.url("/") == "https://ntfy.example.org:8443/push/" && ntfy.priorities[.outage] == 5 && ntfy.tags[.info] == ["house"])
        #expect(ntfy.common.pacing == PacingSettings(minimumInterval: 5, dailyLimit: 0) && ntfy.click == "http://genmon.local")
        #expect(config.discord?.common.filters.contains(.info) == false)
        #expect(config.telegram?.chats == ["424242", "@cabin_channel"])
        #expect(config.webhook?.endpoint == "http://nodered.local:1880/genmon" && config.webhook?.common.pacing.dailyLimit == 0)
        #expect(config.syslog?.facility == 19)
    }

    @Test("bad values are reported with file, line and key, and only that channel or value is left out")
    func badValues() throws {
        let folder = try Self.folder([
            "gensms.conf": "[gensms]\naccountsid = AC1\nauthtoken = t\nto_number = 5551234, +15551230002\nfrom_number = +15005550006\ndaily_limit = many\n",
            "genpushover.conf": "[genpushover]\nappid = short\nuserid = alsoshort\n",
            "genmon.conf": "[GenMon]\n[ntfy]\ntopic = cabin\nbase_url = ftp://ntfy.example.org\npriority_warning = loud\n[webhook]\nurl = http://x.example\nsecret = short\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (config, problems) = ChannelConfiguration.load(configPath: folder + "/genmon.conf", userURL: nil)
        let text = problems.map(\.description)
        #expect(text.contains { $0.hasSuffix("gensms.conf:4: to_number: '5551234' is not a phone number in E.164 form (+15551230002)") || $0.contains("gensms.conf:4: to_number: '5551234'") }, "\(text)")
        #expect(text.contains { $0.contains("gensms.conf:6: daily_limit") })
        #expect(config.sms?.recipients == ["+15551230002"] && config.sms?.common.pacing.dailyLimit == TwilioSettings.defaultPacing.dailyLimit)
        #expect(config.pushover == nil && config.off["pushover"] == "no usable userid")
        #expect(text.contains { $0.contains("genmon.conf:4: base_url") } && text.contains { $0.contains("genmon.conf:5: priority_warning") })
        #expect(config.ntfy?.address == NtfySettings.defaultAddress)
        #expect(config.webhook == nil && text.contains { $0.contains("genmon.conf:8: secret") })
    }

    @Test("base_url replaces scheme, host and port and keeps the service's path and query; only http(s) addresses")
    func serviceAddress() throws {
        let address = try ServiceAddress("http://127.0.0.1:8080")
        #expect(address.rebase("https://hooks.slack.com/services/T/B/X?a=1") == "http://127.0.0.1:8080/services/T/B/X?a=1")
        #expect(address.url("/1/messages.json") == "http://127.0.0.1:8080/1/messages.json")
        #expect(try ServiceAddress("https://[::1]:8443/").description == "https://[::1]:8443")
        for bad in ["ftp://x", "http://", "x", "http://host/?q=1", "https://user@host"] {
            #expect(throws: ServiceAddress.AddressError.self, "\(bad)") { try ServiceAddress(bad) }
        }
    }

    @Test("phone numbers: E.164 after blanks, dashes and brackets are dropped")
    func numbers() {
        #expect(TwilioSettings.normalizedNumber("+1 (555) 123-0001") == "+15551230001")
        for bad in ["5551230001", "+0123456789", "+1555", "+1555123000199999", "+1555abc0001", ""] {
            #expect(TwilioSettings.normalizedNumber(bad) == nil, "\(bad)")
        }
    }
}
