import Monitor
import ServiceLifecycle

/// Feeds `GenmonMetrics` from the monitor: the newest snapshot, and every event as it happens.
public struct MetricsService: Service {
    let metrics: GenmonMetrics
    let service: any GeneratorService

    public init(metrics: GenmonMetrics, service: any GeneratorService) {
        self.metrics = metrics
        self.service = service
    }

    public func run() async {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { for await snapshot in service.snapshots() { metrics.observe(snapshot) } }
                group.addTask { for await event in service.events() { metrics.record(event) } }
            }
        }
    }
}
