import NIOCore
import NIOPosix

/// `network_status`: can this host open a TCP connection to a public DNS server?
public enum NetworkProbe {
    public static func check(host: String = "8.8.8.8", port: Int = 53, timeout: TimeAmount = .seconds(3)) async -> String {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout)
                .connect(host: host, port: port)
                .get()
            try? await channel.close()
            return "OK"
        } catch let error as IOError {
            _ = error
            return "Disconnected"
        } catch let error as ChannelError {
            switch error {
            case .connectTimeout: return "Disconnected"
            default: return "Unknown:\(error)"
            }
        } catch {
            return "Unknown:\(error)"
        }
    }
}
