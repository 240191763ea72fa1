import Domain
import Foundation
import Testing

@testable import WebUI

extension Fixture {
    static func company(canEdit: Bool, errors: FormErrors = [:]) -> CompanyRequisitesModel {
        var values = CompanyRequisitesModel.Values()
        values.name = evil
        values.inn = "7707083894"
        values.bik = "044525225"
        values.vat = "20"
        return CompanyRequisitesModel(
            context: context(canEdit ? .admin : .manager), values: values, errors: errors,
            formError: errors.isEmpty ? nil : "Проверьте данные формы.", canEdit: canEdit)
    }
}

@Suite struct CompanyPageTests {
    @Test func adminsEditEveryRequisiteWithErrorsNextToTheFields() {
        let html = CompanyRequisitesPage(
            model: Fixture.company(
                canEdit: true, errors: ["inn": "ИНН — 10 или 12 цифр с верными контрольными цифрами."])
        ).render()
        #expect(html.contains("<h1"))
        #expect(html.contains("Реквизиты компании"))
        #expect(html.contains("method=\"post\" action=\"/settings/company\""))
        for name in CompanyRequisitesModel.fieldNames {
            #expect(html.contains("name=\"\(name)\""), "\(name) is missing")
        }
        for label in [
            "Название", "ИНН", "КПП", "ОГРН", "Адрес", "Телефон", "E-mail", "Банк", "БИК", "Расчётный счёт",
            "Корр. счёт", "Руководитель", "Главный бухгалтер", "НДС",
        ] {
            #expect(html.contains(">" + label + "<"), "\(label) is missing")
        }
        #expect(html.contains("value=\"7707083894\""))
        #expect(html.contains("ИНН — 10 или 12 цифр с верными контрольными цифрами."))
        #expect(html.contains("aria-invalid=\"true\""))
        #expect(html.contains("<option value=\"none\">Без НДС</option>"))
        #expect(html.contains("<option value=\"20\" selected>20 %</option>"))
        #expect(!html.contains(Fixture.evil), "the typed name must be escaped")
        #expect(html.contains(">Сохранить<"))
    }

    @Test func othersReadTheRequisitesWithoutAForm() {
        let html = CompanyRequisitesPage(model: Fixture.company(canEdit: false)).render()
        #expect(html.contains("value=\"7707083894\""))
        #expect(html.contains("Реквизиты меняет администратор."))
        #expect(HTMLChecks.postFormCount(in: html) == 0)
        #expect(!html.contains(">Сохранить<"))
        #expect(html.contains("disabled"))
    }

    @Test func aStoredRateOutsideTheListIsKept() {
        var model = Fixture.company(canEdit: true)
        model.values.vat = "18"
        let html = CompanyRequisitesPage(model: model).render()
        #expect(html.contains("<option value=\"18\" selected>18 %</option>"))
    }

    @Test func theProfileLinksTheRequisitesForStaffAndAccountants() {
        for role in Role.allCases {
            let html = ProfilePage(
                model: ProfileModel(
                    context: Fixture.context(role), fullName: "Иван Петров",
                    phone: "+79990000011", role: role)
            ).render()
            #expect(html.contains("href=\"/settings/company\"") == (role != .operator), "\(role)")
        }
    }

    @Test func aCompletedOrderOffersItsInvoice() {
        let issue = OrderDetailPage(
            model: Fixture.detail(
                role: .accountant, status: .completed,
                actions: [.receipt, .issueInvoice])
        ).render()
        #expect(issue.contains("action=\"/orders/9f1c2d7e-0000-4000-8000-000000000042/invoice\""))
        #expect(issue.contains(">Выставить счёт</button>"))
        #expect(issue.contains("href=\"/orders/9f1c2d7e-0000-4000-8000-000000000042/receipt\""))
        var model = Fixture.detail(role: .manager, status: .completed, actions: [.receipt, .invoice])
        model.invoiceID = "7"
        let issued = OrderDetailPage(model: model).render()
        #expect(issued.contains("href=\"/invoices/7/pdf\""))
        #expect(issued.contains(">Счёт<"))
        #expect(!issued.contains("Выставить счёт"))
    }

    @Test func theRequisitesErrorLeadsToTheForm() {
        let html = ErrorPage(
            model: ErrorPageModel(
                context: Fixture.context(.admin), status: 400, message: "Заполните реквизиты компании: ИНН.",
                link: .init(title: "Заполнить реквизиты", path: Paths.companyRequisites()))
        ).render()
        #expect(html.contains("Заполните реквизиты компании: ИНН."))
        #expect(html.contains("href=\"/settings/company\""))
        #expect(!html.contains("На главную"))
    }
}
