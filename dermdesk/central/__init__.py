"""The central retraining service (`dermdesk-central`, extra `central`): receives pseudonymised cases
from clinics, stores them in the HAM10000 layout the training code reads, and serves signed models."""
