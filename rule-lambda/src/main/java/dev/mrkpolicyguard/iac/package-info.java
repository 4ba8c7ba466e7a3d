/**
 * Deploy-time checks of infrastructure as code: reads CloudFormation templates and Terraform plan
 * JSON into multi-Region key resources ({@link dev.mrkpolicyguard.iac.IacResource}), pairs each
 * replica with its primary, and judges the planned policies with the engine's {@code KeyDecider}.
 * Free of AWS SDK types: the live primary policy comes in through {@link
 * dev.mrkpolicyguard.iac.PrimarySource}.
 */
package dev.mrkpolicyguard.iac;
