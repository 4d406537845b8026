// The public API of cdk8s-homelab: what users compose, configure and check
// with. Everything else in lib/ is internal, reachable only by its own path,
// and may change without notice. Grouped by layer, lowest first (see
// docs/architecture.md).

// checks: strict schemas, whole-cluster and policy checks, validation of any manifests
export * from './checks/cluster/address-pools';
export * from './checks/cluster/certificates';
export { gatewayAttachments, referenceGrants } from './checks/cluster/gateways';
export * from './checks/cluster/images';
export * from './checks/cluster/object-names';
export * from './checks/cluster/ports';
export * from './checks/cluster/routes';
export * from './checks/cluster/services';
export * from './checks/cluster/volumes';
export * from './checks/cluster-checks';
export * from './checks/manifest-validation';
export * from './checks/policy-checks';
export type {
  CustomResourceDefinition,
  CustomResourceDefinitionNames,
  CustomResourceDefinitionSpec,
  CustomResourceDefinitionVersion,
  CustomResourceValidation,
  Schema,
  SchemaIssue,
  SchemaSources,
} from './checks/schema/schema-types';
export { SchemaValidator, type SchemaValidatorOptions } from './checks/schema/schema-validator';
// constructs: one Kubernetes object each
export { AppAutoscaler, type AppAutoscalerProps, type Autoscale } from './constructs/app-autoscaler';
export { AppCertificate, type AppCertificateProps } from './constructs/app-certificate';
export { type AppConfig, AppConfigMap, type AppConfigMapProps, CONFIG_CHECKSUM_ANNOTATION } from './constructs/app-config-map';
export { AppDisruptionBudget, type AppDisruptionBudgetProps } from './constructs/app-disruption-budget';
export { AppIngress, type AppIngressProps } from './constructs/app-ingress';
export { AppNamespace, type AppNamespaceProps } from './constructs/app-namespace';
export { AppNetworkPolicy, type AppNetworkPolicyProps, K3S_TRAEFIK, type NetworkPeer } from './constructs/app-network-policy';
export { AppNfsShare, type AppNfsShareProps } from './constructs/app-nfs-share';
export { AppService, type AppServiceProps } from './constructs/app-service';
export { AppServiceAccount, type AppServiceAccountProps, type RbacRule, type RbacVerb } from './constructs/app-service-account';
export { AppServiceMonitor, type AppServiceMonitorProps } from './constructs/app-service-monitor';
export { type AccessMode, AppVolumeClaim, type AppVolumeClaimProps, type PersistentVolume } from './constructs/app-volume-claim';
export { ExternalService, type ExternalServiceProps } from './constructs/external-service';
export { ManifestObject, type ManifestObjectProps } from './constructs/manifest-object';
export { AppCronJob, type AppCronJobProps, type RunOptions } from './constructs/workload/app-cron-job';
export { AppDaemonSet, type AppDaemonSetProps } from './constructs/workload/app-daemon-set';
export { AppDeployment, type AppDeploymentProps } from './constructs/workload/app-deployment';
export { AppJob, type AppJobProps } from './constructs/workload/app-job';
export { AppStatefulSet, type AppStatefulSetProps, type VolumeClaimTemplate } from './constructs/workload/app-stateful-set';
export type { AutoUpdate, KeelPolicy } from './constructs/workload/auto-update';
export { type ImageNeeds, type KnownImage, WELL_KNOWN_IMAGES, type WellKnownImage } from './constructs/workload/image-needs';
export type { PodSecurity, PodSecurityProfile, ResolvedPodSecurity } from './constructs/workload/pod-security';
export { Probe, type ProbeOptions } from './constructs/workload/probe';
export { Schedule } from './constructs/workload/schedule';
export { Volume } from './constructs/workload/volume';
export type {
  Arch,
  ContainerResources,
  ExtraContainer,
  Mount,
  NamedPort,
  PortProtocol,
  ProtocolPort,
  ResolvedResources,
  SecretKeyRef,
  Toleration,
  WorkloadProps,
} from './constructs/workload/workload';
export type { PolicyRule } from './core/annotations';
export {
  ALLOW_FLOATING_TAG_ANNOTATION,
  HAND_MADE_SECRETS_ANNOTATION,
  KEEL_POLICY_ANNOTATION,
  METALLB_ADDRESS_ANNOTATION,
  METALLB_POOL_ANNOTATION,
  POD_SECURITY_REASON_ANNOTATION,
  POLICY_RULES,
  PROVIDES_SECRETS_ANNOTATION,
  PROVIDES_SERVICES_ANNOTATION,
  policyExceptionAnnotation,
} from './core/annotations';
// core: the manifest model, problems, conventions
export type { ClusterCheck, ClusterContext, PodIdentity } from './core/cluster-check';
export { DEFAULT_ALLOW_CROSS_NAMESPACE, DEFAULT_INGRESS_CONTROLLER } from './core/cluster-check';
export {
  type ClusterProfile,
  clusterProfileOf,
  FLUX,
  genericProfile,
  HELM_CONTROLLER,
  type HelmInstaller,
  K3S,
  k3s,
  MICROK8S,
  microk8s,
  type PeerPods,
  type ProfileFacts,
} from './core/cluster-profile';
export { declareHandMadeSecrets } from './core/hand-made-secrets';
export type { HelmValue, Json } from './core/json';
export {
  DEFAULT_KUBERNETES_VERSION,
  KUBERNETES_VERSIONS,
  type KubernetesVersion,
  kubernetesVersionOf,
  parseKubernetesVersion,
} from './core/kubernetes-version';
export { MANAGED_BY, MANAGED_BY_LABEL, recommendedLabels, selectorLabels } from './core/labels';
export type { HelmValuesCarrier, KnownHelmValues, Manifest, ManifestMetadata, SynthesizedFile, SynthesizedObject } from './core/manifest';
export type { ProvidedService } from './core/manifest-fields';
export type { Problem } from './core/problems';
export { formatProblem, HomelabError, objectProblem } from './core/problems';
export { PropChecker } from './core/prop-checker';
export type { PropKind, PropNames, ValueKind } from './core/prop-names';
export { SEALING_SCOPES, type SealingScope } from './core/sealing-scope';
// platform: Helm charts, the Traefik configuration, Authentik, databases
export * from './platform/authentik';
export * from './platform/cert-issuer';
export {
  type ConnectionNames,
  type ConnectionOptions,
  Database,
  type DatabaseClient,
  type DatabaseConnection,
  type DatabaseContainer,
  type DatabaseEngine,
  type DatabaseProps,
} from './platform/database';
export { ExternalSecret, type ExternalSecretProps, type RemoteValue, type SecretStoreRef } from './platform/external-secret';
export { FluxHelmRelease, type FluxHelmReleaseProps } from './platform/flux-helm-release';
export { GitOpsSync, type GitOpsSyncProps, type GitSource } from './platform/gitops-sync';
export type { HelmChartReleaseProps, ValuesSecret } from './platform/helm-chart-props';
export { HelmChartRelease } from './platform/helm-chart-release';
export { K3sHelmChart, type K3sHelmChartProps } from './platform/k3s-helm-chart';
export { MetalLbPool, type MetalLbPoolProps } from './platform/metallb-pool';
export { Postgres, type PostgresProps } from './platform/postgres';
export * from './platform/redis';
export { SealedSecret, type SealedSecretProps } from './platform/sealed-secret';
export * from './platform/traefik-config';
// stack: AppStack and environments
export * from './stack/app-stack';
export * from './stack/app-stack-props';
export * from './stack/environment';
export * from './stack/external-app';
export * from './stack/shared-namespace';
// synth: the App, the pipeline, atomic output
export { type ApplySetLayout, HomelabApp, type HomelabAppProps, importedCrdFiles } from './synth/homelab-app';
export { runMain } from './synth/run-main';
export { type NamedEnvironment, type SynthEnvironmentsOptions, synthEnvironments, type UnusedImageTag } from './synth/synth-environments';
// tools: the cluster diagram, the cdk8s CLI validation plugin
export * from './tools/cluster-diagram';
export * from './tools/plan';
export * from './tools/plan-format';
export {
  defaultSealedFile,
  type SealedResult,
  type SealFailure,
  type SealInput,
  type SealProblem,
  type SealRequest,
  type SealResult,
  sealSecret,
  writeSealedFile,
} from './tools/seal';
export * from './tools/validation-plugin';
export * from './traefik/app-gateway';
// traefik: routes and middlewares
export { AppTcpRoute, type AppTcpRouteProps } from './traefik/app-tcp-route';
export { AppUdpRoute, type AppUdpRouteProps } from './traefik/app-udp-route';
export * from './traefik/backend-tls';
export * from './traefik/forward-auth';
export * from './traefik/gateway-reference-grant';
export * from './traefik/gateway-route';
export * from './traefik/https-redirect';
export { type ExtraRoute, HttpsRoute, type HttpsRouteProps, type MiddlewareRef, type ServiceRef, type TlsDomain } from './traefik/https-route';
export { IpAllowList, type IpAllowListProps } from './traefik/ip-allow-list';
export { SecurityHeaders, type SecurityHeadersOptions, type SecurityHeadersProps } from './traefik/security-headers';
export * from './traefik/strip-prefix';
