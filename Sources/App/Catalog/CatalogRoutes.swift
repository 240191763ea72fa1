import Domain
import Vapor

/// The catalog (`/equipment/`, `/services/`, `/service-categories/`, `/materials/`, `/attachments/`) and
/// `/clients/`. Catalog: every signed-in role reads, admins and managers write. Clients: admins, managers and
/// accountants read, admins and managers write; operators see clients only inside their orders.
func registerCatalogAndClientRoutes(_ signedIn: any RoutesBuilder) {
    let writers = signedIn.grouped(RequireRole(.admin, .manager))

    let equipment = EquipmentAPIController()
    do {  // equipment
        signedIn.get("equipment", use: equipment.list)
        signedIn.get("equipment", ":id", use: equipment.show)
        writers.post("equipment", use: equipment.create)
        writers.put("equipment", ":id", use: equipment.update)
        writers.patch("equipment", ":id", use: equipment.update)
        writers.delete("equipment", ":id", use: equipment.delete)
    }
    let services = ServicesAPIController()
    do {  // services and their categories
        signedIn.get("services", use: services.list)
        signedIn.get("services", ":id", use: services.show)
        writers.post("services", use: services.create)
        writers.put("services", ":id", use: services.update)
        writers.patch("services", ":id", use: services.update)
        writers.delete("services", ":id", use: services.delete)
        signedIn.get("service-categories", use: services.listCategories)
        writers.post("service-categories", use: services.createCategory)
    }
    let materials = MaterialsAPIController()
    do {  // materials
        signedIn.get("materials", use: materials.list)
        signedIn.get("materials", ":id", use: materials.show)
        writers.post("materials", use: materials.create)
        writers.put("materials", ":id", use: materials.update)
        writers.patch("materials", ":id", use: materials.update)
        writers.delete("materials", ":id", use: materials.delete)
    }
    let attachments = AttachmentsAPIController()
    do {  // attachments
        signedIn.get("attachments", use: attachments.list)
        signedIn.get("attachments", ":id", use: attachments.show)
        writers.post("attachments", use: attachments.create)
        writers.put("attachments", ":id", use: attachments.update)
        writers.patch("attachments", ":id", use: attachments.update)
        writers.delete("attachments", ":id", use: attachments.delete)
    }
    let clients = ClientsAPIController()
    do {  // clients
        let readers = signedIn.grouped(RequireRole(.admin, .manager, .accountant))
        readers.get("clients", use: clients.list)
        readers.get("clients", ":id", use: clients.show)
        writers.post("clients", use: clients.create)
        writers.put("clients", ":id", use: clients.update)
        writers.patch("clients", ":id", use: clients.update)
        writers.delete("clients", ":id", use: clients.delete)
    }
}
