import GenmonConfig
import Testing

extension WebTestSuite {
    /// The web app's keys in genmon.conf.
    @Suite struct WebConfigurationTests {
        @Test func theWebAppIsOnLoopbackPlainHTTPAndEnabledByDefault() throws {
            let configuration = try GenmonConfiguration(file: IniFile(text: "[GenMon]\n"))
            #expect(configuration.webAddress == "127.0.0.1")
            #expect(configuration.webPort == 8000)
            #expect(configuration.webEnabled)
            #expect(!configuration.webHTTPS)
            #expect(configuration.webTrustedOrigins.isEmpty)
        }

        @Test func httpsPortCertificateAndOriginsAreRead() throws {
            let configuration = try GenmonConfiguration(file: IniFile(text: """
                [GenMon]
                flask_listen_ip_address = 0.0.0.0
                http_port = 8080
                usehttps = True
                https_port = 8443
                certfile = /etc/genmon/cert.pem
                keyfile = /etc/genmon/key.pem
                web_trusted_origins = https://generator.example.org, https://gen.local:8443
                """))
            #expect(configuration.webAddress == "0.0.0.0")
            #expect(configuration.webPort == 8443)
            #expect(configuration.webHTTPS)
            #expect(configuration.webCertificateFile == "/etc/genmon/cert.pem")
            #expect(configuration.webKeyFile == "/etc/genmon/key.pem")
            #expect(configuration.webTrustedOrigins == ["https://generator.example.org", "https://gen.local:8443"])
            #expect(try GenmonConfiguration(file: IniFile(text: "[GenMon]\ndisable_web = yes\n")).webEnabled == false)
        }

        @Test func aCertificateWithoutItsKeyIsRefused() {
            #expect(throws: ConfigError.self) { try GenmonConfiguration(file: IniFile(text: "[GenMon]\nusehttps = true\ncertfile = /x.pem\n")) }
        }
    }
}
