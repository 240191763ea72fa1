import Domain
import Vapor

/// The planning board (issue #17, docs/planning.md): its API under `/api/v1/planning/`, registered by `routes`.
func registerPlanningAPI(_ signedIn: any RoutesBuilder) {
}

/// The planning board's pages («План», «Мои смены») and the operators' calendar feed, registered by
/// `registerWebRoutes`. `web` has the session but no sign-in guard (the feed is reached by its secret).
func registerPlanningPages(web: any RoutesBuilder, signedIn: any RoutesBuilder) {
}
