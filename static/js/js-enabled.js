// Loaded first in <body>: lets GOV.UK Frontend enhance components (no inline script under the CSP).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
